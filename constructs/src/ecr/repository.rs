//! `Repository`.

use ironcdk_synth::{fns, AsScope, Duration, RemovalPolicy, Result, Scope, Val};

use super::generated::*;
use crate::iam::{PolicyStatement, Role};

/// Which images a lifecycle rule applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagStatus {
    /// Every image (must be the rule with the highest priority number).
    Any,
    /// Images with a tag starting with one of the rule's prefixes.
    Tagged,
    /// Untagged images.
    Untagged,
}

/// An image expiry rule.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct LifecycleRule {
    /// Priority (default: after the explicitly numbered rules, in order).
    pub rule_priority: Option<u32>,
    /// Description.
    pub description: Option<String>,
    /// Which images (default: `Tagged` with prefixes, else `Any`).
    pub tag_status: Option<TagStatus>,
    /// Tag prefixes for `Tagged`.
    pub tag_prefix_list: Vec<String>,
    /// Keep at most this many images.
    pub max_image_count: Option<u32>,
    /// Expire images older than this (whole days).
    pub max_image_age: Option<Duration>,
}

impl LifecycleRule {
    /// An empty rule: set `max_image_count` or `max_image_age`.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the tag status.
        some tag_status: TagStatus;
        /// Keeps at most `n` images.
        some max_image_count: u32;
        /// Expires images older than `age`.
        some max_image_age: Duration;
    }
    /// Sets tag prefixes.
    pub fn tag_prefix_list<I: IntoIterator<Item = S>, S: Into<String>>(mut self, p: I) -> Self {
        self.tag_prefix_list = p.into_iter().map(Into::into).collect();
        self
    }
    setters! {
        /// Sets the description.
        into description: String;
        /// Sets the priority.
        some rule_priority: u32;
    }
}

/// Options of a [`Repository`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RepositoryProps {
    /// Physical name.
    pub repository_name: Option<String>,
    /// Image expiry rules.
    pub lifecycle_rules: Vec<LifecycleRule>,
    /// Scan images on push (unset: the template leaves it out, and ECR does not scan).
    pub image_scan_on_push: Option<bool>,
    /// Removal policy (default: retain; images are data).
    pub removal_policy: RemovalPolicy,
}

impl Default for RepositoryProps {
    fn default() -> Self {
        RepositoryProps { repository_name: None, lifecycle_rules: Vec::new(), image_scan_on_push: None, removal_policy: RemovalPolicy::Retain }
    }
}

impl RepositoryProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the physical name.
        into repository_name: String;
        /// Sets the lifecycle rules.
        set lifecycle_rules: Vec<LifecycleRule>;
        /// Scans images on push, or says explicitly that it does not.
        some image_scan_on_push: bool;
        /// Sets the removal policy.
        set removal_policy: RemovalPolicy;
    }
}

fn valid_repository_name(n: &str) -> bool {
    let ok_chars = n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(c));
    let parts_ok = n.split('/').all(|p| {
        !p.is_empty() && p.starts_with(|c: char| c.is_ascii_alphanumeric()) && p.ends_with(|c: char| c.is_ascii_alphanumeric())
    });
    (2..=256).contains(&n.len()) && ok_chars && parts_ok
}

/// The lifecycle policy text ECR expects, as CDK writes it: rules with a priority first, then
/// those without (numbered on from the highest given), then the `TagStatus::Any` rules last;
/// each rule's keys in CDK's order.
fn lifecycle_policy(path: &str, rules: &[LifecycleRule]) -> Result<String> {
    let err = |m: String| ironcdk_synth::Error::validation(path, m);
    let mut seen: Vec<u32> = Vec::new();
    for p in rules.iter().filter_map(|r| r.rule_priority) {
        if p == 0 {
            return Err(err("lifecycle rule_priority 0 is invalid; ECR takes priorities from 1".into()));
        }
        if seen.contains(&p) {
            return Err(err(format!("two lifecycle rules have rule_priority {p}; ECR needs each priority once")));
        }
        seen.push(p);
    }
    let status_of = |r: &LifecycleRule| r.tag_status.unwrap_or(if r.tag_prefix_list.is_empty() { TagStatus::Any } else { TagStatus::Tagged });
    let given: Vec<&LifecycleRule> = rules.iter().filter(|r| r.rule_priority.is_some() && status_of(r) != TagStatus::Any).collect();
    let auto: Vec<&LifecycleRule> = rules.iter().filter(|r| r.rule_priority.is_none() && status_of(r) != TagStatus::Any).collect();
    let any: Vec<&LifecycleRule> = rules.iter().filter(|r| status_of(r) == TagStatus::Any).collect();
    if any.first().is_some_and(|r| r.rule_priority.is_some()) && !auto.is_empty() {
        return Err(err("a TagStatus::Any rule with a rule_priority cannot be combined with rules without one; remove its rule_priority".into()));
    }
    let mut next = given.iter().filter_map(|r| r.rule_priority).max().unwrap_or(0).saturating_add(1);
    // Compact JSON, as CDK writes it: members in CDK's order. Texts a user gives are escaped.
    let text_of = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = String::from("{\"rules\":[");
    let mut any_priority = None;
    let mut max_priority = 0;
    for (i, r) in given.into_iter().chain(auto).chain(any).enumerate() {
        let status = status_of(r);
        if status == TagStatus::Tagged && r.tag_prefix_list.is_empty() {
            return Err(err("a lifecycle rule with TagStatus::Tagged needs tag_prefix_list".into()));
        }
        if status != TagStatus::Tagged && !r.tag_prefix_list.is_empty() {
            return Err(err("tag_prefix_list only applies to TagStatus::Tagged rules".into()));
        }
        let priority = r.rule_priority.unwrap_or_else(|| {
            let p = next;
            next = next.saturating_add(1);
            p
        });
        if status == TagStatus::Any {
            any_priority = Some(priority);
        }
        max_priority = max_priority.max(priority);
        let status_text = match status { TagStatus::Any => "any", TagStatus::Tagged => "tagged", TagStatus::Untagged => "untagged" };
        let count = match (r.max_image_count, r.max_image_age) {
            (Some(0), None) => return Err(err("max_image_count 0 is invalid; ECR keeps at least 1 image (use 1 or more)".into())),
            (Some(n), None) => format!(",\"countType\":\"imageCountMoreThan\",\"countNumber\":{n}"),
            (None, Some(age)) => {
                let days = age.to_whole_days().filter(|d| *d > 0).ok_or_else(|| err("max_image_age must be a whole number of days".into()))?;
                format!(",\"countType\":\"sinceImagePushed\",\"countNumber\":{days},\"countUnit\":\"days\"")
            }
            _ => return Err(err("each lifecycle rule needs exactly one of max_image_count and max_image_age".into())),
        };
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("{{\"rulePriority\":{priority}"));
        if let Some(d) = &r.description {
            out.push_str(",\"description\":");
            out.push_str(&text_of(d));
        }
        out.push_str(",\"selection\":{\"tagStatus\":\"");
        out.push_str(status_text);
        out.push('"');
        if !r.tag_prefix_list.is_empty() {
            let prefixes: Vec<String> = r.tag_prefix_list.iter().map(|t| text_of(t)).collect();
            out.push_str(",\"tagPrefixList\":[");
            out.push_str(&prefixes.join(","));
            out.push(']');
        }
        out.push_str(&count);
        out.push_str("},\"action\":{\"type\":\"expire\"}}");
    }
    if let Some(p) = any_priority {
        if p != max_priority {
            return Err(err("the TagStatus::Any rule must have the highest rule_priority".into()));
        }
    }
    out.push_str("]}");
    Ok(out)
}

/// An ECR repository.
///
/// ```
/// use ironcdk_constructs::ecr::{Repository, RepositoryProps, LifecycleRule, TagStatus};
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let repo = Repository::new(&stack, "Repo", RepositoryProps::new()
///     .repository_name("repo-name")
///     .lifecycle_rules(vec![LifecycleRule::new().tag_status(TagStatus::Any).max_image_count(3)])).unwrap();
/// let _uri = repo.repository_uri_for_tag("latest");
/// ```
#[derive(Clone)]
pub struct Repository {
    scope: Scope,
    resource: CfnRepository,
}

impl AsScope for Repository {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl Repository {
    /// Creates the repository.
    pub fn new(scope: &impl AsScope, id: &str, props: RepositoryProps) -> Result<Repository> {
        let scope = scope.scope().child(id, "ironcdk.ecr.Repository")?;
        let mut p = CfnRepositoryProps::new();
        if let Some(n) = &props.repository_name {
            if !valid_repository_name(n) {
                return Err(scope.error(format!(
                    "repository name '{n}' must be 2 to 256 lowercase letters, digits and . _ - /, each part starting and ending with a letter or digit"
                )));
            }
            p = p.repository_name(n.clone());
        }
        if !props.lifecycle_rules.is_empty() {
            let text = lifecycle_policy(&scope.path(), &props.lifecycle_rules)?;
            p = p.lifecycle_policy(cfn_repository::LifecyclePolicy::new().lifecycle_policy_text(text));
        }
        // CDK writes the setting whenever it is given, `false` included.
        if let Some(scan) = props.image_scan_on_push {
            p = p.image_scanning_configuration(cfn_repository::ImageScanningConfiguration::new().scan_on_push(scan));
        }
        let resource = CfnRepository::new(&scope, "Resource", p)?;
        resource.apply_removal_policy(props.removal_policy);
        Ok(Repository { scope, resource })
    }

    /// `Ref` (the name).
    pub fn repository_name(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// `Fn::GetAtt Arn`.
    pub fn repository_arn(&self) -> Val<String> {
        self.resource.attr_arn()
    }

    /// `<account>.dkr.ecr.<region>.<suffix>/<name>:<tag>`, written as CDK writes it (account
    /// and region split out of the repository's ARN), so ported task definitions are unchanged.
    pub fn repository_uri_for_tag(&self, tag: &str) -> Val<String> {
        let arn_part = |i: u32| fns::select(i, fns::split(":", self.repository_arn()));
        fns::join(
            "",
            [arn_part(4), ".dkr.ecr.".into(), arn_part(3), ".".into(), ironcdk_synth::Pseudo::UrlSuffix.val(), "/".into(), self.resource.ref_(), [":", tag].concat().into()],
        )
    }

    /// Lets `role` pull images: the three layer actions on this repository and
    /// `ecr:GetAuthorizationToken` on `*` (the statements CDK produces).
    pub fn grant_pull(&self, role: &Role) -> Result<()> {
        role.add_to_policy(
            PolicyStatement::allow()
                .actions(["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"])
                .resource(self.repository_arn()),
        )?;
        role.add_to_policy(PolicyStatement::allow().actions(["ecr:GetAuthorizationToken"]).resource("*"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_text_matches_cdk() {
        let t = lifecycle_policy("S/R", &[LifecycleRule::new().tag_status(TagStatus::Any).max_image_count(3)]).unwrap();
        assert_eq!(t, r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}]}"#);
    }

    /// The text is the compact JSON serde_json writes for the same rules, escapes included.
    #[test]
    fn lifecycle_text_is_serde_json_compact() {
        let rules = [
            LifecycleRule::new().rule_priority(2).description("keep \"v*\" \\ tags\n").tag_prefix_list(["v", "rel\"ease"]).max_image_count(10),
            LifecycleRule::new().rule_priority(1).tag_status(TagStatus::Untagged).max_image_age(Duration::days(14)),
            LifecycleRule::new().description("é").tag_status(TagStatus::Any).max_image_count(1),
        ];
        let t = lifecycle_policy("S/R", &rules).unwrap();
        let rule = |p: u32, d: Option<&str>, sel: serde_json::Value| {
            let mut m = serde_json::Map::new();
            m.insert("rulePriority".into(), p.into());
            if let Some(d) = d {
                m.insert("description".into(), d.into());
            }
            m.insert("selection".into(), sel);
            m.insert("action".into(), serde_json::json!({"type": "expire"}));
            serde_json::Value::Object(m)
        };
        let expected = serde_json::json!({"rules": [
            rule(2, Some("keep \"v*\" \\ tags\n"), serde_json::json!({"tagStatus": "tagged", "tagPrefixList": ["v", "rel\"ease"], "countType": "imageCountMoreThan", "countNumber": 10})),
            rule(1, None, serde_json::json!({"tagStatus": "untagged", "countType": "sinceImagePushed", "countNumber": 14, "countUnit": "days"})),
            rule(3, Some("é"), serde_json::json!({"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1})),
        ]});
        assert_eq!(t, expected.to_string());
    }

    #[test]
    fn the_any_rule_goes_last_as_cdk_orders_rules() {
        // Given first without a priority, it is numbered after the others.
        let t = lifecycle_policy(
            "S/R",
            &[
                LifecycleRule::new().tag_status(TagStatus::Any).max_image_count(3),
                LifecycleRule::new().tag_status(TagStatus::Untagged).max_image_age(Duration::days(1)),
            ],
        )
        .unwrap();
        assert_eq!(
            t,
            r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countNumber":1,"countUnit":"days"},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}]}"#
        );
        // Given a priority below another rule's, it is an error, as in CDK.
        let e = lifecycle_policy(
            "S/R",
            &[
                LifecycleRule::new().tag_status(TagStatus::Any).max_image_count(3).rule_priority(1),
                LifecycleRule::new().tag_status(TagStatus::Untagged).max_image_age(Duration::days(1)).rule_priority(2),
            ],
        )
        .unwrap_err();
        assert!(e.to_string().contains("highest rule_priority"), "{e}");
        // A prioritized Any rule with unprioritized others cannot be ordered.
        let e = lifecycle_policy(
            "S/R",
            &[
                LifecycleRule::new().tag_status(TagStatus::Any).max_image_count(3).rule_priority(5),
                LifecycleRule::new().tag_status(TagStatus::Untagged).max_image_age(Duration::days(1)),
            ],
        )
        .unwrap_err();
        assert!(e.to_string().contains("remove its rule_priority"), "{e}");
    }

    #[test]
    fn names() {
        assert!(valid_repository_name("repo-name"));
        assert!(valid_repository_name("team/app.v2"));
        assert!(!valid_repository_name("Repo"));
        assert!(!valid_repository_name("a"));
        assert!(!valid_repository_name("-x"));
    }
}
