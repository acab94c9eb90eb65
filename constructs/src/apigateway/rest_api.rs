//! REST APIs.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{fns, AsScope, Output, Pseudo, Result, Scope, ToValue, Val, Value};

use super::generated::cfn_method as m1;
use super::generated::*;
use crate::elasticloadbalancingv2::NetworkLoadBalancer;

/// Options of a [`VpcLink`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct VpcLinkProps {
    /// Name (default: a unique name from the construct path).
    pub vpc_link_name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Network load balancers it reaches.
    pub targets: Vec<NetworkLoadBalancer>,
}

impl VpcLinkProps {
    /// No targets yet.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the name.
        into vpc_link_name: String;
        /// Sets the description.
        into description: String;
        /// Sets the target NLBs.
        set targets: Vec<NetworkLoadBalancer>;
    }
}

/// A VPC link: lets API Gateway reach network load balancers inside a VPC.
#[derive(Clone)]
pub struct VpcLink {
    scope: Scope,
    resource: CfnVpcLink,
}

impl AsScope for VpcLink {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl VpcLink {
    /// Creates the link.
    pub fn new(scope: &impl AsScope, id: &str, props: VpcLinkProps) -> Result<VpcLink> {
        let scope = scope.scope().child(id, "ironcdk.apigateway.VpcLink")?;
        if props.targets.is_empty() {
            return Err(scope.error("a VPC link needs at least one network load balancer in targets"));
        }
        let name = props.vpc_link_name.clone().unwrap_or_else(|| scope.unique_id());
        let mut p = CfnVpcLinkProps::new(name, props.targets.iter().map(NetworkLoadBalancer::load_balancer_arn).collect::<Vec<_>>());
        if let Some(d) = &props.description {
            p = p.description(d.clone());
        }
        let resource = CfnVpcLink::new(&scope, "Resource", p)?;
        Ok(VpcLink { scope, resource })
    }

    /// `Ref` (the id).
    pub fn vpc_link_id(&self) -> Val<String> {
        self.resource.ref_()
    }
}

/// Integration types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntegrationType {
    /// Forward the request as is to an HTTP endpoint.
    HttpProxy,
    /// HTTP with mapping templates.
    Http,
    /// Lambda proxy.
    AwsProxy,
    /// An AWS service action.
    Aws,
    /// A canned response.
    Mock,
}

impl IntegrationType {
    /// The value API Gateway uses.
    pub fn as_str(self) -> &'static str {
        match self {
            IntegrationType::HttpProxy => "HTTP_PROXY",
            IntegrationType::Http => "HTTP",
            IntegrationType::AwsProxy => "AWS_PROXY",
            IntegrationType::Aws => "AWS",
            IntegrationType::Mock => "MOCK",
        }
    }
}

/// How API Gateway connects to the integration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionType {
    /// Over the internet.
    Internet,
    /// Through a VPC link.
    VpcLink,
}

/// Options of an [`Integration`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct IntegrationOptions {
    /// Connection type (default internet).
    pub connection_type: Option<ConnectionType>,
    /// The VPC link for `ConnectionType::VpcLink`.
    pub vpc_link: Option<VpcLink>,
}

impl IntegrationOptions {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the connection type.
        some connection_type: ConnectionType;
        /// Sets the VPC link.
        cloned vpc_link: VpcLink;
    }
}

/// Where a method sends requests.
#[derive(Clone)]
#[non_exhaustive]
pub struct Integration {
    /// Type.
    pub type_: IntegrationType,
    /// HTTP method used towards the backend.
    pub integration_http_method: Option<String>,
    /// Backend URI.
    pub uri: Option<Val<String>>,
    /// Options.
    pub options: IntegrationOptions,
    /// The Lambda function a method may invoke: each method gets CDK's two invoke permissions.
    pub function_arn: Option<Val<String>>,
    /// What CDK's integration adds to the deployment's hash (`integrationToken`): a Lambda
    /// integration's function name, when the function has a literal one.
    pub deployment_token: Option<String>,
}

impl Integration {
    /// An integration of `type_`.
    pub fn new(type_: IntegrationType) -> Self {
        Integration { type_, integration_http_method: None, uri: None, options: IntegrationOptions::default(), function_arn: None, deployment_token: None }
    }

    /// A Lambda proxy integration (CDK's `LambdaIntegration`): `AWS_PROXY`, `POST` to the
    /// function's invocation URI, and on each method the two invoke permissions CDK adds (the
    /// stage's and the console's `test-invoke-stage`).
    pub fn lambda(function: &crate::lambda::Function) -> Self {
        let scope = function.scope();
        let arn = function.function_arn();
        let uri = fns::join("", [
            "arn:".into(),
            scope.partition_value(),
            ":apigateway:".into(),
            scope.region_value(),
            ":lambda:path/2015-03-31/functions/".into(),
            arn.clone(),
            "/invocations".into(),
        ]);
        let deployment_token = function.given_name().map(|n| serde_json::json!({ "functionName": n }).to_string());
        Integration {
            type_: IntegrationType::AwsProxy,
            integration_http_method: Some("POST".into()),
            uri: Some(uri),
            options: IntegrationOptions::default(),
            function_arn: Some(arn),
            deployment_token,
        }
    }
    setters! {
        /// Sets the backend HTTP method.
        into integration_http_method: String;
        /// Sets the backend URI.
        into uri: Val<String>;
        /// Sets the options.
        set options: IntegrationOptions;
    }

    /// The integration as CDK's `Method` renders it into the deployment hash (camel-cased
    /// keys in CDK's order, unset ones left out).
    fn hash_value(&self) -> Value {
        let mut props: Vec<(&str, Value)> = vec![("type", Value::Str(self.type_.as_str().into()))];
        if let Some(u) = &self.uri {
            props.push(("uri", u.to_value()));
        }
        if let Some(m) = &self.integration_http_method {
            props.push(("integrationHttpMethod", Value::Str(m.into())));
        }
        match (self.options.connection_type, &self.options.vpc_link) {
            (Some(ConnectionType::VpcLink), Some(link)) => {
                props.push(("connectionType", Value::Str("VPC_LINK".into())));
                props.push(("connectionId", link.vpc_link_id().to_value()));
            }
            (Some(ConnectionType::Internet), _) => props.push(("connectionType", Value::Str("INTERNET".into()))),
            _ => {}
        }
        object(props)
    }

    fn to_l1(&self, scope: &Scope) -> Result<m1::Integration> {
        let mut i = m1::Integration::new(match self.type_ {
            IntegrationType::HttpProxy => m1::IntegrationType::HttpProxy,
            IntegrationType::Http => m1::IntegrationType::Http,
            IntegrationType::AwsProxy => m1::IntegrationType::AwsProxy,
            IntegrationType::Aws => m1::IntegrationType::Aws,
            IntegrationType::Mock => m1::IntegrationType::Mock,
        });
        if self.type_ != IntegrationType::Mock {
            let Some(uri) = &self.uri else {
                return Err(scope.error("this integration type needs a uri"));
            };
            let Some(method) = &self.integration_http_method else {
                return Err(scope.error("this integration type needs integration_http_method (the method used towards the backend)"));
            };
            i = i.uri(uri.clone()).integration_http_method(method.clone());
        }
        match (self.options.connection_type, &self.options.vpc_link) {
            (Some(ConnectionType::VpcLink), Some(link)) => {
                i = i.connection_type(m1::IntegrationConnectionType::VpcLink).connection_id(link.vpc_link_id());
            }
            (Some(ConnectionType::VpcLink), None) => {
                return Err(scope.error("connection type VPC_LINK needs a vpc_link in the integration options"));
            }
            (_, Some(_)) => {
                return Err(scope.error("a vpc_link was given but the connection type is not VpcLink; set connection_type(ConnectionType::VpcLink)"));
            }
            (Some(ConnectionType::Internet), None) => {
                i = i.connection_type(m1::IntegrationConnectionType::Internet);
            }
            (None, None) => {}
        }
        Ok(i)
    }
}

/// Options of a method.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct MethodOptions {
    /// Require an API key.
    pub api_key_required: bool,
}

/// Stage options of a [`RestApi`]'s deployment.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct StageOptions {
    /// Stage name (default `prod`, as CDK).
    pub stage_name: String,
}

impl Default for StageOptions {
    fn default() -> Self {
        StageOptions { stage_name: "prod".into() }
    }
}

impl StageOptions {
    /// Stage `prod`.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the stage name.
    pub fn stage_name(mut self, n: impl Into<String>) -> Self {
        self.stage_name = n.into();
        self
    }
}

/// Options of a [`RestApi`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct RestApiProps {
    /// Name (default: the construct id).
    pub rest_api_name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Stage options.
    pub deploy_options: StageOptions,
    /// A custom domain name mapped to the API (`CustomDomain`, as CDK's `domainName`).
    pub domain_name: Option<super::DomainNameOptions>,
}

impl RestApiProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the name.
        into rest_api_name: String;
        /// Sets the description.
        into description: String;
        /// Sets the stage options.
        set deploy_options: StageOptions;
        /// Maps a custom domain name to the API.
        some domain_name: super::DomainNameOptions;
    }
}

/// An API's resources and methods so far, so that one added twice is refused.
#[derive(Debug, Default)]
pub(crate) struct RestApiModel {
    /// `METHOD /path` of every method.
    pub methods: RefCell<Vec<String>>,
    /// Every resource path (`/v1/{id}`).
    pub resources: RefCell<Vec<String>>,
}

/// A REST API with a deployment and a stage. The deployment's logical ID carries a hash of
/// the API's resources and methods, so changing the API makes CloudFormation deploy it again.
///
/// ```
/// use ironcdk_constructs::apigateway::*;
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let api = RestApi::new(&stack, "Api", RestApiProps::new().deploy_options(StageOptions::new().stage_name("dev"))).unwrap();
/// api.root().add_resource("v1").unwrap().add_method("GET", Integration::new(IntegrationType::Mock), MethodOptions::default()).unwrap();
/// let template = app.synth_in_memory().unwrap().stack("Demo").unwrap().template();
/// let methods: Vec<_> = template["Resources"].as_object().unwrap().values().filter(|r| r["Type"] == "AWS::ApiGateway::Method").collect();
/// assert_eq!(methods.len(), 1);
/// assert_eq!(methods[0]["Properties"]["HttpMethod"], "GET");
/// ```
#[derive(Clone)]
pub struct RestApi {
    scope: Scope,
    resource: CfnRestApi,
    root: ApiResource,
    stage: Val<String>,
    /// The first custom domain name added (CDK's `domainName`).
    domain_name: Rc<RefCell<Option<super::DomainName>>>,
}

impl AsScope for RestApi {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl RestApi {
    /// Creates the API, its deployment, stage and `Endpoint` output.
    pub fn new(scope: &impl AsScope, id: &str, props: RestApiProps) -> Result<RestApi> {
        let scope = scope.scope().child(id, "ironcdk.apigateway.RestApi")?;
        let stage_name = &props.deploy_options.stage_name;
        if stage_name.is_empty() || !stage_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') || stage_name.len() > 128 {
            return Err(scope.error(format!("stage name '{stage_name}' must be 1 to 128 letters, digits, '-' and '_'")));
        }
        let mut p = CfnRestApiProps::new().name(props.rest_api_name.clone().unwrap_or_else(|| id.to_string()));
        if let Some(d) = &props.description {
            p = p.description(d.clone());
        }
        let resource = CfnRestApi::new(&scope, "Resource", p)?;
        let model = Rc::new(RestApiModel::default());
        // CDK's root resource: its id `Default` keeps it out of every logical ID.
        let root_scope = scope.child("Default", "ironcdk.apigateway.RootResource")?;
        let deployment_scope = scope.child("Deployment", "ironcdk.apigateway.Deployment")?;
        let deployment = CfnDeployment::new(
            &deployment_scope,
            "Resource",
            // As CDK: the API's description, if it has one.
            CfnDeploymentProps::new(resource.ref_()).description(props.description.clone().unwrap_or_else(|| "Automatically created by the RestApi construct".into())),
        )?;
        let stage_ref: Rc<RefCell<Option<Val<String>>>> = Rc::default();
        let root = ApiResource {
            scope: root_scope.clone(),
            api_id: resource.ref_(),
            resource_id: resource.attr_root_resource_id(),
            path: String::new(),
            model: model.clone(),
            deployment: deployment.resource().clone(),
            stage: stage_ref.clone(),
            api_unique_id: scope.unique_id(),
        };
        // As CDK: the deployment waits for each resource and method L1 (added with them), not
        // for everything below the root: a method's invoke permissions name the stage, which
        // names the deployment.
        // CDK's deployment hash: what each resource and method adds (see `add_resource` and
        // `add_method`), then the API's own template entry.
        deployment.resource().add_logical_id_hash_entry(&resource)?;
        // As CDK: `cdk refactor` must not move a deployment, whose ID is a hash.
        deployment.resource().add_metadata("aws:cdk:do-not-refactor", true);
        let stage = CfnStage::new(
            &scope.child(&format!("DeploymentStage.{stage_name}"), "ironcdk.apigateway.Stage")?,
            "Resource",
            CfnStageProps::new(resource.ref_()).deployment_id(deployment.ref_()).stage_name(stage_name.clone()),
        )?;
        *stage_ref.borrow_mut() = Some(stage.ref_());
        // As CDK: the region literal in a stack that has one (the writer merges it with the
        // literals beside it: `.execute-api.us-east-1.`).
        let url = ["https://".into(), resource.ref_(), ".execute-api.".into(), scope.region_value(), ".".into(), Pseudo::UrlSuffix.val(), "/".into(), stage.ref_(), "/".into()];
        Output::new(&scope, "Endpoint", fns::join("", url))?;
        let m = model.clone();
        scope.add_validation(move || {
            if m.methods.borrow().is_empty() {
                vec!["the API has no methods and API Gateway cannot deploy an empty API; add one with root().add_method or add_resource(..).add_method".into()]
            } else {
                Vec::new()
            }
        });
        let api = RestApi { scope, resource, root, stage: stage.ref_(), domain_name: Rc::default() };
        if let Some(d) = props.domain_name {
            api.add_domain_name("CustomDomain", d)?;
        }
        Ok(api)
    }

    /// Adds a custom domain name mapped to this API (CDK's `addDomainName`); the first is the
    /// API's [`RestApi::domain_name`].
    pub fn add_domain_name(&self, id: &str, options: super::DomainNameOptions) -> Result<super::DomainName> {
        let d = super::DomainName::new(&self.scope, id, options, Some(self))?;
        self.domain_name.borrow_mut().get_or_insert_with(|| d.clone());
        Ok(d)
    }

    /// The first custom domain name added, if any.
    pub fn domain_name(&self) -> Option<super::DomainName> {
        self.domain_name.borrow().clone()
    }

    /// `Ref` of the deployment stage: its name.
    pub fn deployment_stage_name(&self) -> Val<String> {
        self.stage.clone()
    }

    /// The root resource `/`.
    pub fn root(&self) -> &ApiResource {
        &self.root
    }

    /// `Ref` (the id).
    pub fn rest_api_id(&self) -> Val<String> {
        self.resource.ref_()
    }
}

/// A path of a REST API.
#[derive(Clone)]
pub struct ApiResource {
    scope: Scope,
    api_id: Val<String>,
    resource_id: Val<String>,
    path: String,
    model: Rc<RestApiModel>,
    /// The API's deployment, whose logical ID hashes every resource and method.
    deployment: ironcdk_synth::Resource,
    /// The stage's name (its `Ref`, set once the stage exists) and the API's unique id, for
    /// invoke permissions.
    stage: Rc<RefCell<Option<Val<String>>>>,
    api_unique_id: String,
}

impl AsScope for ApiResource {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl ApiResource {
    /// The path, `/` for the root.
    pub fn path(&self) -> String {
        if self.path.is_empty() {
            "/".into()
        } else {
            self.path.clone()
        }
    }

    /// Adds a child path part (`{id}` for a path parameter, `{proxy+}` for a greedy one).
    /// API Gateway's rules are checked: literal parts use letters, digits and `-._~` (and the
    /// other characters it allows), a variable is `{name}` or `{name+}`, a greedy variable has
    /// no children, and one resource has at most one variable child.
    pub fn add_resource(&self, path_part: &str) -> Result<ApiResource> {
        let variable = path_part.strip_prefix('{').and_then(|p| p.strip_suffix('}'));
        let valid = match variable {
            Some(v) => {
                let name = v.strip_suffix('+').unwrap_or(v);
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
            }
            None => !path_part.is_empty() && path_part.chars().all(|c| c.is_ascii_alphanumeric() || "-._~:@!$&'()*+,;=".contains(c)),
        };
        if !valid {
            return Err(self.scope.error(format!(
                "path part '{path_part}' is invalid: use letters, digits and -._~ (no '/'; add one resource per part), or a variable {{name}} or greedy {{name+}}"
            )));
        }
        if self.path.rsplit('/').next().is_some_and(|last| last.ends_with("+}")) {
            return Err(self.scope.error(format!(
                "{} is a greedy path variable and catches every path below it; API Gateway allows no child resources under it, so '{path_part}' cannot be added",
                self.path()
            )));
        }
        let path = format!("{}/{path_part}", self.path);
        {
            let resources = self.model.resources.borrow();
            if resources.contains(&path) {
                return Err(self.scope.error(format!("the resource {path} already exists; add methods to it instead")));
            }
            if variable.is_some() {
                let prefix = format!("{}/{{", self.path);
                let sibling = resources.iter().find(|r| r.starts_with(&prefix) && r.get(prefix.len()..).is_some_and(|rest| !rest.contains('/')));
                if let Some(other) = sibling {
                    return Err(self.scope.error(format!(
                        "{} already has the variable child {other}; API Gateway allows one variable per level, so use that one",
                        self.path()
                    )));
                }
            }
        }
        // CDK names a path part's construct by the part; `Default` is dropped from logical
        // IDs, which would give this resource and its methods the IDs of its parent's.
        let id = if path_part == ironcdk_synth::logical_id::DEFAULT_ID { "Default-path" } else { path_part };
        let scope = self.scope.child(id, "ironcdk.apigateway.Resource")?;
        let r = CfnResource::new(&scope, "Resource", CfnResourceProps::new(self.resource_id.clone(), path_part, self.api_id.clone()))?;
        self.deployment.add_depends_on(&r)?;
        self.model.resources.borrow_mut().push(path.clone());
        // What CDK's `Resource` adds to the deployment's logical ID, keys in its order.
        self.deployment.add_logical_id_hash(object([(
            "resource",
            object([("restApiId", self.api_id.to_value()), ("parentId", self.resource_id.to_value()), ("pathPart", Value::Str(path_part.into()))]),
        )]));
        Ok(ApiResource {
            scope,
            api_id: self.api_id.clone(),
            resource_id: r.ref_(),
            path,
            model: self.model.clone(),
            deployment: self.deployment.clone(),
            stage: self.stage.clone(),
            api_unique_id: self.api_unique_id.clone(),
        })
    }

    /// Adds a greedy `{proxy+}` child with an `ANY` method to `integration` (CDK's `addProxy`);
    /// under the root, the root gets an `ANY` method to it too (unless it has one), first, as
    /// CDK adds it.
    pub fn add_proxy(&self, integration: Integration) -> Result<ApiResource> {
        let proxy = self.add_resource("{proxy+}")?;
        let root_any = format!("ANY {}", self.path());
        if self.path.is_empty() && !self.model.methods.borrow().contains(&root_any) {
            self.add_method("ANY", integration.clone(), MethodOptions::default())?;
        }
        proxy.add_method("ANY", integration, MethodOptions::default())?;
        Ok(proxy)
    }

    /// Adds a method (`GET`, `POST`, ..., or `ANY`).
    pub fn add_method(&self, http_method: &str, integration: Integration, options: MethodOptions) -> Result<()> {
        let method = http_method.to_ascii_uppercase();
        const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];
        if !METHODS.contains(&method.as_str()) {
            return Err(self.scope.error(format!("'{http_method}' is not an HTTP method; use one of {}", METHODS.join(", "))));
        }
        let key = format!("{method} {}", self.path());
        if self.model.methods.borrow().contains(&key) {
            return Err(self.scope.error(format!("{} already has a {method} method; a resource takes each HTTP method once", self.path())));
        }
        let scope = self.scope.child(&method, "ironcdk.apigateway.Method")?;
        let mut p = CfnMethodProps::new(method.clone(), self.resource_id.clone(), self.api_id.clone())
            .authorization_type("NONE")
            .integration(integration.to_l1(&scope)?);
        if options.api_key_required {
            p = p.api_key_required(true);
        }
        let method_resource = CfnMethod::new(&scope, "Resource", p)?;
        self.deployment.add_depends_on(&method_resource)?;
        if let Some(function) = &integration.function_arn {
            self.add_invoke_permissions(&scope, &method, function)?;
        }
        // What CDK's `Method` adds to the deployment's logical ID: its properties, camel-cased
        // in CDK's order, unset ones left out.
        let mut props: Vec<(&str, Value)> =
            vec![("resourceId", self.resource_id.to_value()), ("restApiId", self.api_id.to_value()), ("httpMethod", Value::Str(method.into()))];
        if options.api_key_required {
            props.push(("apiKeyRequired", Value::Bool(true)));
        }
        props.push(("authorizationType", Value::Str("NONE".into())));
        props.push(("integration", integration.hash_value()));
        if let Some(token) = &integration.deployment_token {
            props.push(("integrationToken", Value::Str(token.into())));
        }
        self.deployment.add_logical_id_hash(object([("method", object(props))]));
        self.model.methods.borrow_mut().push(key);
        Ok(())
    }

    /// CDK's two invoke permissions of a Lambda-integrated method: from the deployed stage, and
    /// from the console's `test-invoke-stage`.
    fn add_invoke_permissions(&self, method_scope: &Scope, method: &str, function_arn: &Val<String>) -> Result<()> {
        let Some(stage) = self.stage.borrow().clone() else {
            return Err(method_scope.error("internal: the API's stage is not made yet"));
        };
        let path = if self.path.is_empty() { "/".to_string() } else { self.path.clone() };
        let desc = format!("{}.{method}.{}", self.api_unique_id, path.replace('/', "."));
        // As CDK: a path parameter is any value in the ARN (`/items/{id}` -> `/items/*`).
        let path = path.split('/').map(|seg| if seg.starts_with('{') && seg.ends_with('}') { "*" } else { seg }).collect::<Vec<_>>().join("/");
        // As CDK: an ANY method may be invoked by every method (`*`).
        let verb = if method == "ANY" { "*" } else { method };
        let arn = |stage: Val<String>| execute_api_arn(method_scope, self.api_id.clone(), ["/".into(), stage, format!("/{verb}{path}").into()]);
        for (id, source) in [(format!("ApiPermission.{desc}"), arn(stage)), (format!("ApiPermission.Test.{desc}"), arn("test-invoke-stage".into()))] {
            crate::lambda::add_invoke_permission(method_scope, &id, function_arn.clone(), "apigateway.amazonaws.com", source)?;
        }
        Ok(())
    }
}

/// `arn:<partition>:execute-api:<region>:<account>:<api id><rest>` (partition and region literal
/// in a stack that has a region): what an API Gateway invoke permission names as its source.
pub(crate) fn execute_api_arn(scope: &Scope, api_id: Val<String>, rest: impl IntoIterator<Item = Val<String>>) -> Val<String> {
    let head = ["arn:".into(), scope.partition_value(), ":execute-api:".into(), scope.region_value(), ":".into(), Pseudo::AccountId.val(), ":".into(), api_id];
    fns::join("", head.into_iter().chain(rest))
}

/// A JSON object with keys in the given order.
use crate::object;

/// Options of a [`LambdaRestApi`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LambdaRestApiProps {
    /// Route every path and method to the function (`{proxy+}` and `ANY` on the root; default
    /// true). Without it, add resources and methods yourself with [`LambdaRestApi::integration`].
    pub proxy: bool,
    /// The API's own options.
    pub api: RestApiProps,
}

impl Default for LambdaRestApiProps {
    fn default() -> Self {
        LambdaRestApiProps { proxy: true, api: RestApiProps::default() }
    }
}

impl LambdaRestApiProps {
    /// A proxy to the function, with the API's defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Proxies every request to the function, or not.
        set proxy: bool;
        /// Sets the API's options.
        set api: RestApiProps;
    }
}

/// A REST API in front of one Lambda function (CDK's `LambdaRestApi`): with `proxy` (the
/// default), every path and method goes to the function through `{proxy+}` and `ANY`.
pub struct LambdaRestApi {
    api: RestApi,
    integration: Integration,
}

impl LambdaRestApi {
    /// Creates the API and, with `proxy`, its proxy resource and methods.
    pub fn new(scope: &impl AsScope, id: &str, handler: &crate::lambda::Function, props: LambdaRestApiProps) -> Result<LambdaRestApi> {
        let api = RestApi::new(scope, id, props.api)?;
        let integration = Integration::lambda(handler);
        if props.proxy {
            api.root().add_proxy(integration.clone())?;
        }
        Ok(LambdaRestApi { api, integration })
    }

    /// The API.
    pub fn api(&self) -> &RestApi {
        &self.api
    }

    /// The integration with the function, for methods added by hand.
    pub fn integration(&self) -> Integration {
        self.integration.clone()
    }
}
