//! Tag helpers shared by the L2 constructs.

use ironcdk_synth::Tag;

/// CDK's `Name` tag: the construct path, which is what the console shows for the resource.
pub(crate) fn name_tags(path: &str) -> Vec<Tag> {
    vec![Tag::new("Name", path)]
}
