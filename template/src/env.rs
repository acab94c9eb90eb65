//! Where a stack deploys.

/// Where a stack deploys. Without a region the stack is environment-agnostic: availability
/// zones come from `Fn::GetAZs` at deploy time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    /// AWS account id.
    pub account: Option<String>,
    /// AWS region, for example `ap-northeast-1`.
    pub region: Option<String>,
}

impl Environment {
    /// The environment the CDK CLI gives an app: `CDK_DEFAULT_ACCOUNT` and
    /// `CDK_DEFAULT_REGION`, as CDK apps read them from `process.env`. Nothing is looked up: a
    /// variable that is unset or empty leaves that part open (environment-agnostic).
    ///
    /// ```
    /// use ironcdk_template::Environment;
    /// let env = Environment::from_cdk_defaults();
    /// assert_eq!(env.region, std::env::var("CDK_DEFAULT_REGION").ok().filter(|r| !r.is_empty()));
    /// ```
    pub fn from_cdk_defaults() -> Self {
        let var = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        Environment { account: var("CDK_DEFAULT_ACCOUNT"), region: var("CDK_DEFAULT_REGION") }
    }

    /// An environment pinned to a region (any account).
    pub fn region(region: impl Into<String>) -> Self {
        Environment {
            account: None,
            region: Some(region.into()),
        }
    }
}

