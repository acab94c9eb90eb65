/// The hash of a resource type's name that places it in the type index (FNV-1a, 32 bits): the
/// build script and the validator that reads the index share this one definition.
pub fn type_hash(name: &str) -> u32 {
    name.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}
