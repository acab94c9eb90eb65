//! Custom domain names of HTTP APIs (CDK's `apigatewayv2.DomainName`) and the mapping of an
//! API's stage to one.

use ironcdk_synth::{AsScope, Result, Scope, Val};

use super::generated::*;
use crate::certificatemanager::Certificate;

/// Options of a [`DomainName`].
#[derive(Clone)]
#[non_exhaustive]
pub struct DomainNameProps {
    /// The name (`api.example.com`).
    pub domain_name: String,
    /// The certificate of its regional endpoint (without one, no endpoint is configured, as CDK).
    pub certificate: Option<Certificate>,
    /// The TLS versions accepted: `TLS_1_2` (default: API Gateway's, written as nothing).
    pub security_policy: Option<String>,
}

impl DomainNameProps {
    /// `domain_name` with a regional endpoint using `certificate`.
    pub fn new(domain_name: impl Into<String>, certificate: &Certificate) -> Self {
        DomainNameProps { domain_name: domain_name.into(), certificate: Some(certificate.clone()), security_policy: None }
    }
    setters! {
        /// Sets the security policy (`TLS_1_2`).
        into security_policy: String;
    }
}

/// A custom domain name for HTTP APIs (`<id>/Resource`).
#[derive(Clone)]
pub struct DomainName {
    scope: Scope,
    resource: CfnDomainName,
}

impl AsScope for DomainName {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl DomainName {
    /// Creates the domain name. An empty or malformed name, or a policy API Gateway does not
    /// know, is an error naming it.
    pub fn new(scope: &impl AsScope, id: &str, props: DomainNameProps) -> Result<DomainName> {
        let scope = scope.scope().child(id, "ironcdk.apigatewayv2.DomainName")?;
        let name = &props.domain_name;
        crate::apigateway::check_domain_name(&scope, name)?;
        if let Some(p) = props.security_policy.as_deref().filter(|p| *p != "TLS_1_2") {
            return Err(scope.error(format!("security policy '{p}': an HTTP API's domain name takes TLS_1_2")));
        }
        let configurations: Vec<cfn_domain_name::DomainNameConfiguration> = props
            .certificate
            .iter()
            .map(|c| {
                let mut d = cfn_domain_name::DomainNameConfiguration::new().certificate_arn(c.certificate_arn()).endpoint_type("REGIONAL");
                if let Some(p) = &props.security_policy {
                    d = d.security_policy(p.clone());
                }
                d
            })
            .collect();
        let resource = CfnDomainName::new(&scope, "Resource", CfnDomainNameProps::new(name.clone()).domain_name_configurations(configurations))?;
        Ok(DomainName { scope, resource })
    }

    /// `Ref`: the domain name.
    pub fn name(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// The regional name an alias record points at.
    pub fn regional_domain_name(&self) -> Val<String> {
        self.resource.attr_regional_domain_name()
    }

    /// The hosted zone of that name.
    pub fn regional_hosted_zone_id(&self) -> Val<String> {
        self.resource.attr_regional_hosted_zone_id()
    }

    pub(crate) fn resource(&self) -> &CfnDomainName {
        &self.resource
    }
}

/// A stage's mapping to a custom domain name (CDK's `DomainMappingOptions`).
#[derive(Clone)]
#[non_exhaustive]
pub struct DomainMappingOptions {
    /// The domain name.
    pub domain_name: DomainName,
    /// The path under it (default: the root).
    pub mapping_key: Option<String>,
}

impl DomainMappingOptions {
    /// The stage at the root of `domain_name`.
    pub fn new(domain_name: &DomainName) -> Self {
        DomainMappingOptions { domain_name: domain_name.clone(), mapping_key: None }
    }
    setters! {
        /// Maps the stage under this path.
        into mapping_key: String;
    }
}

impl std::fmt::Debug for DomainMappingOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DomainMappingOptions").field("domain_name", &self.domain_name.scope.path()).field("mapping_key", &self.mapping_key).finish()
    }
}
