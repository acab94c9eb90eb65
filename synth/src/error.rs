//! Errors: every one names the construct path, says what is wrong and how to fix it.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while building or synthesizing an app.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two siblings share an id.
    #[error("{path}: a construct with id '{id}' already exists here ({existing}); give each child of a construct a unique id")]
    DuplicateId {
        /// Path of the parent.
        path: String,
        /// The clashing id.
        id: String,
        /// Path of the construct that already holds the id.
        existing: String,
    },
    /// An id is empty or holds a `/`.
    #[error("{path}: invalid construct id '{id}': {reason}")]
    InvalidId {
        /// Path of the parent.
        path: String,
        /// The rejected id.
        id: String,
        /// Why it is rejected and what to use instead.
        reason: String,
    },
    /// Two elements of one template render to the same logical ID.
    #[error("{second}: logical ID '{logical_id}' is already used by {first}; rename one of them or call override_logical_id with a unique ID")]
    DuplicateLogicalId {
        /// The clashing logical ID.
        logical_id: String,
        /// Path of the first element.
        first: String,
        /// Path of the second element.
        second: String,
    },
    /// A reference crosses into a stack it cannot reach (another App's).
    #[error("{path}: references {target}, which belongs to another App; constructs can only reference constructs of their own App: build both stacks in one App")]
    CrossStackReference {
        /// Path of the element holding the reference.
        path: String,
        /// Path of the referenced element.
        target: String,
    },
    /// A reference points at a construct that is not a template element.
    #[error("{path}: references {target}, which is not a resource, parameter, condition or mapping; reference the resource under it instead")]
    NotAnElement {
        /// Path of the element holding the reference.
        path: String,
        /// Path of the referenced construct.
        target: String,
    },
    /// Invalid input to a construct.
    #[error("{path}: {message}")]
    Validation {
        /// Path of the construct.
        path: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A check found an error (see [`crate::finding`]); acknowledge it with a reason only
    /// when it does not apply.
    #[error("{0}")]
    Finding(Box<crate::finding::Finding>),
    /// Several errors found in one synth.
    #[error("{} errors:\n{}", .0.len(), .0.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
    /// Writing the cloud assembly failed.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// File or directory concerned.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// `Ok` when `errors` is empty, the error itself when there is one, `Many` otherwise.
    pub fn check_all(mut errors: Vec<Error>) -> Result<()> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(Error::Many(errors)),
        }
    }

    /// A validation error at `path`.
    pub fn validation(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation {
            path: path.into(),
            message: message.into(),
        }
    }
}
