//! CloudFormation's quotas on a template (AWS CloudFormation User Guide, "quotas"), and what
//! in a template breaks them.

use crate::finding::{Finding, Severity};
use crate::templates::{ElementKind, PreparedStack};

/// Resources per template.
pub const MAX_RESOURCES: usize = 500;
/// Parameters per template.
pub const MAX_PARAMETERS: usize = 200;
/// Outputs per template.
pub const MAX_OUTPUTS: usize = 200;
/// Mappings per template.
pub const MAX_MAPPINGS: usize = 200;
/// Template body size through S3, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 1_048_576;
/// Template body size passed inline (`aws cloudformation deploy` without `--s3-bucket`).
pub const MAX_INLINE_TEMPLATE_BYTES: usize = 51_200;
/// Characters in a logical ID.
pub const MAX_LOGICAL_ID: usize = 255;
/// Tags per resource.
pub const MAX_TAGS: usize = 50;
/// Characters in a tag key.
pub const MAX_TAG_KEY: usize = 128;
/// Characters in a tag value.
pub const MAX_TAG_VALUE: usize = 256;

/// A template body of `bytes` against CloudFormation's size limits: an error past 1 MB, a
/// warning past the inline limit, with the way out.
pub fn size_quota(stack: &str, bytes: usize) -> Option<Finding> {
    let (severity, message, fix) = if bytes > MAX_TEMPLATE_BYTES {
        (Severity::Error, format!("the template is {bytes} bytes; CloudFormation takes at most {MAX_TEMPLATE_BYTES} (1 MB)"), "split the stack")
    } else if bytes > MAX_INLINE_TEMPLATE_BYTES {
        (
            Severity::Warning,
            format!("the template is {bytes} bytes, over the {MAX_INLINE_TEMPLATE_BYTES} bytes CloudFormation takes inline"),
            "deploy it through S3: aws cloudformation deploy ... --s3-bucket <bucket> (or cdk deploy with a bootstrapped environment)",
        )
    } else {
        return None;
    };
    Some(Finding::new("cfn-limits", severity, message, fix).stack(stack))
}

/// What breaks one of CloudFormation's template quotas: the template's size (when known: an
/// error past 1 MB, a warning past the inline limit, with the way out) and its counts of
/// resources, parameters, outputs and mappings, and logical ID lengths. Synth refuses the
/// errors among them and `ironcdk check` reports the same findings on files.
pub fn quotas(st: &PreparedStack, bytes: Option<usize>) -> Vec<Finding> {
    let mut out: Vec<Finding> = bytes.and_then(|b| size_quota(&st.name, b)).into_iter().collect();
    let mut f = |severity: Severity, message: String, fix: &str| out.push(Finding::new("cfn-limits", severity, message, fix).stack(&st.name));
    for (kind, max, what, fix) in [
        (ElementKind::Resource, MAX_RESOURCES, "resources", "split the stack into several stacks (references between them become exports automatically)"),
        (ElementKind::Parameter, MAX_PARAMETERS, "parameters", "combine parameters, or read values from SSM parameters"),
        (ElementKind::Output, MAX_OUTPUTS, "outputs", "remove outputs, or split the stack (each value other stacks use becomes one export)"),
        (ElementKind::Mapping, MAX_MAPPINGS, "mappings", "combine mappings"),
    ] {
        let n = st.elements.iter().filter(|e| e.kind == kind).count();
        if n > max {
            f(Severity::Error, format!("the template has {n} {what}; CloudFormation allows at most {max}"), fix);
        }
    }
    for e in st.elements.iter().filter(|e| e.logical_id.is_empty() || e.logical_id.len() > MAX_LOGICAL_ID) {
        f(Severity::Error, format!("logical ID '{}' must be 1 to {MAX_LOGICAL_ID} characters", e.logical_id), "shorten the construct ids or override the logical ID");
    }
    out
}

