//! `setters!`: the builder setters of the props structs, written once.

/// Builder setters of a props struct, one entry each, documented like a method:
/// - `into name: T;` sets an `Option<T>` field from anything `Into<T>` (strings, handles);
/// - `some name: T;` sets an `Option<T>` field from a `T` (numbers, so literals infer);
/// - `cloned name: T;` sets an `Option<T>` field from a `&T` (a handle the caller keeps);
/// - `set name: T;` sets a `T` field.
macro_rules! setters {
    ($($(#[$doc:meta])* $kind:ident $name:ident : $ty:ty;)*) => {
        $( setters!(@$kind $(#[$doc])* $name $ty); )*
    };
    (@into $(#[$doc:meta])* $name:ident $ty:ty) => {
        $(#[$doc])*
        pub fn $name(mut self, value: impl Into<$ty>) -> Self {
            self.$name = Some(value.into());
            self
        }
    };
    (@some $(#[$doc:meta])* $name:ident $ty:ty) => {
        $(#[$doc])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = Some(value);
            self
        }
    };
    (@cloned $(#[$doc:meta])* $name:ident $ty:ty) => {
        $(#[$doc])*
        pub fn $name(mut self, value: &$ty) -> Self {
            self.$name = Some(value.clone());
            self
        }
    };
    (@set $(#[$doc:meta])* $name:ident $ty:ty) => {
        $(#[$doc])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = value;
            self
        }
    };
}
