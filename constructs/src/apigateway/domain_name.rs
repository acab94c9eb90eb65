//! Custom domain names of REST APIs: `DomainName` (CDK's), base path mappings, and
//! `RestApi::add_domain_name`.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{AsScope, Result, Scope, Val};

use super::generated::*;
use super::rest_api::RestApi;
use crate::certificatemanager::Certificate;

/// Where API Gateway serves a custom domain name (CDK's `EndpointType`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointType {
    /// In the API's region (CDK's default for domain names).
    #[default]
    Regional,
    /// Through CloudFront; the certificate must be in us-east-1.
    Edge,
}

impl EndpointType {
    fn as_str(self) -> &'static str {
        match self {
            EndpointType::Regional => "REGIONAL",
            EndpointType::Edge => "EDGE",
        }
    }
}

/// The TLS versions a custom domain name accepts (CDK's `SecurityPolicy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecurityPolicy {
    /// TLS 1.0 and later.
    Tls10,
    /// TLS 1.2 and later.
    Tls12,
}

/// Options of a custom domain name (CDK's `DomainNameOptions`).
#[derive(Clone)]
#[non_exhaustive]
pub struct DomainNameOptions {
    /// The name (`api.example.com`), lower case.
    pub domain_name: String,
    /// The ACM certificate for it.
    pub certificate: Certificate,
    /// Regional (default) or edge-optimized.
    pub endpoint_type: EndpointType,
    /// The TLS versions accepted (default: API Gateway's, written as nothing, as CDK).
    pub security_policy: Option<SecurityPolicy>,
    /// The path the API is mapped to (default: the root).
    pub base_path: Option<String>,
}

impl std::fmt::Debug for DomainNameOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DomainNameOptions")
            .field("domain_name", &self.domain_name)
            .field("endpoint_type", &self.endpoint_type)
            .field("security_policy", &self.security_policy)
            .field("base_path", &self.base_path)
            .finish_non_exhaustive()
    }
}

impl DomainNameOptions {
    /// `domain_name` served with `certificate`.
    pub fn new(domain_name: impl Into<String>, certificate: &Certificate) -> Self {
        DomainNameOptions { domain_name: domain_name.into(), certificate: certificate.clone(), endpoint_type: EndpointType::Regional, security_policy: None, base_path: None }
    }
    setters! {
        /// Sets the endpoint type.
        set endpoint_type: EndpointType;
        /// Sets the security policy.
        some security_policy: SecurityPolicy;
        /// Maps the API under this path.
        into base_path: String;
    }
}

/// What API Gateway refuses in a custom domain name (REST and HTTP APIs alike): upper case,
/// and anything but labels of letters, digits and '-' (a leading `*` for a wildcard).
pub(crate) fn check_domain_name(scope: &Scope, name: &str) -> Result<()> {
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(scope.error(format!("domain name '{name}' has upper case letters, which API Gateway refuses; write it in lower case")));
    }
    if name.is_empty() || name.len() > 253 || !name.split('.').all(|l| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*')) {
        return Err(scope.error(format!("'{name}' is not a domain name API Gateway takes (labels of letters, digits and '-')")));
    }
    Ok(())
}

/// A custom domain name for REST APIs (`<id>/Resource`), with its base path mappings.
#[derive(Clone)]
pub struct DomainName {
    scope: Scope,
    resource: CfnDomainName,
    endpoint_type: EndpointType,
    /// Base paths mapped (`None` for the root).
    base_paths: Rc<RefCell<Vec<Option<String>>>>,
}

impl AsScope for DomainName {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl DomainName {
    /// Creates the domain name, mapped to `mapping` when given (at the options' base path).
    /// What API Gateway refuses is an error naming it: upper case, an edge name with a
    /// certificate outside us-east-1, a malformed base path.
    pub fn new(scope: &impl AsScope, id: &str, options: DomainNameOptions, mapping: Option<&RestApi>) -> Result<DomainName> {
        let scope = scope.scope().child(id, "ironcdk.apigateway.DomainName")?;
        let name = &options.domain_name;
        check_domain_name(&scope, name)?;
        let arn = options.certificate.certificate_arn();
        let edge = options.endpoint_type == EndpointType::Edge;
        if let Some(a) = arn.as_value().as_str() {
            if edge && a.split(':').nth(3) != Some("us-east-1") {
                return Err(scope.error(format!("an edge-optimized domain name needs its certificate in us-east-1 (CloudFront serves it), and '{a}' is not; request one there or use EndpointType::Regional")));
            }
        }
        let mut p = CfnDomainNameProps::new()
            .domain_name(name.clone())
            .endpoint_configuration(cfn_domain_name::EndpointConfiguration::new().types(vec![options.endpoint_type.as_str().to_string()]));
        p = if edge { p.certificate_arn(arn) } else { p.regional_certificate_arn(arn) };
        if let Some(s) = options.security_policy {
            p = p.security_policy(match s {
                SecurityPolicy::Tls10 => "TLS_1_0",
                SecurityPolicy::Tls12 => "TLS_1_2",
            });
        }
        let resource = CfnDomainName::new(&scope, "Resource", p)?;
        let domain = DomainName { scope, resource, endpoint_type: options.endpoint_type, base_paths: Rc::default() };
        if let Some(api) = mapping {
            domain.add_base_path_mapping(api, options.base_path.as_deref())?;
        }
        Ok(domain)
    }

    /// Maps `api` (its deployment stage) under `base_path`, or the root (CDK's
    /// `addBasePathMapping`, `Map:<path>=><api>`). A path mapped twice is refused.
    pub fn add_base_path_mapping(&self, api: &RestApi, base_path: Option<&str>) -> Result<()> {
        if let Some(path) = base_path {
            if path.contains('/') {
                return Err(self.scope.error(format!("base path '{path}' may not start or end with '/', and a mapping takes one level (API Gateway's API mappings take more)")));
            }
            if path.is_empty() || !path.chars().all(|c| c.is_ascii_alphanumeric() || "$-_.+!*'()".contains(c)) {
                return Err(self.scope.error(format!("base path '{path}' may only hold letters, digits and $-_.+!*'()")));
            }
        }
        let key = base_path.map(str::to_string);
        if self.base_paths.borrow().contains(&key) {
            return Err(self.scope.error(format!("domain name {} already maps path '{}'", self.scope.path(), base_path.unwrap_or("/"))));
        }
        self.base_paths.borrow_mut().push(key);
        // CDK's id `Map:/=>...` for the root, with the `/` its construct ids turn into `--`.
        let id = format!("Map:{}=>{}", base_path.unwrap_or("--"), api.scope().unique_id());
        let mut p = CfnBasePathMappingProps::new(self.resource.ref_()).rest_api_id(api.rest_api_id()).stage(api.deployment_stage_name());
        if let Some(path) = base_path {
            p = p.base_path(path);
        }
        CfnBasePathMapping::new(&self.scope.child(&id, "ironcdk.apigateway.BasePathMapping")?, "Resource", p)?;
        Ok(())
    }

    /// `Ref`: the domain name.
    pub fn domain_name(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// The name an alias record points at (the regional or CloudFront domain name).
    pub fn domain_name_alias_domain_name(&self) -> Val<String> {
        match self.endpoint_type {
            EndpointType::Regional => self.resource.attr_regional_domain_name(),
            EndpointType::Edge => self.resource.attr_distribution_domain_name(),
        }
    }

    /// The hosted zone of that name.
    pub fn domain_name_alias_hosted_zone_id(&self) -> Val<String> {
        match self.endpoint_type {
            EndpointType::Regional => self.resource.attr_regional_hosted_zone_id(),
            EndpointType::Edge => self.resource.attr_distribution_hosted_zone_id(),
        }
    }
}
