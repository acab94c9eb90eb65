//! `HttpApi`: an `AWS::ApiGatewayV2::Api` of protocol HTTP with CDK's `$default` stage
//! (deployed automatically), routes `METHOD /path`, and Lambda proxy integrations (payload
//! format 2.0) with the invoke permission CDK adds for each route.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{fns, AsScope, Duration, Result, Scope, Val};

use super::generated::*;
use crate::apigateway::execute_api_arn;
use crate::lambda::{add_invoke_permission, Function};

/// The HTTP method of a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// Any method.
    Any,
}

impl HttpMethod {
    fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Any => "ANY",
        }
    }
}

/// An integration made in an API: (the API's path, the integration's `Ref`).
type Made = (String, Val<String>);

/// A Lambda proxy integration (CDK's `HttpLambdaIntegration`). One integration used by several
/// routes of an API is one `AWS::ApiGatewayV2::Integration`, made under the first route.
#[derive(Clone)]
pub struct HttpLambdaIntegration {
    id: String,
    function_arn: Val<String>,
    /// The integration's `Ref` in each API that made it (by the API's path).
    made: Rc<RefCell<Vec<Made>>>,
}

impl HttpLambdaIntegration {
    /// An integration named `id` (its construct id) invoking `function`.
    pub fn new(id: impl Into<String>, function: &Function) -> Self {
        HttpLambdaIntegration { id: id.into(), function_arn: function.function_arn(), made: Rc::default() }
    }
}

/// The API's answer to browsers' CORS preflight requests (CDK's `CorsPreflightOptions`): API
/// Gateway answers `OPTIONS` itself, for every route.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct CorsPreflightOptions {
    /// Origins allowed (`https://example.com`, or `*`).
    pub allow_origins: Vec<String>,
    /// Methods allowed ([`HttpMethod::Any`] for `*`).
    pub allow_methods: Vec<HttpMethod>,
    /// Request headers allowed.
    pub allow_headers: Vec<String>,
    /// Response headers exposed to the page.
    pub expose_headers: Vec<String>,
    /// How long browsers may cache the answer (at most a day).
    pub max_age: Option<Duration>,
    /// Whether credentials (cookies) may be sent; not with the origin `*`.
    pub allow_credentials: Option<bool>,
}

impl CorsPreflightOptions {
    /// Allows these origins.
    pub fn origins<I: IntoIterator<Item = S>, S: Into<String>>(origins: I) -> Self {
        CorsPreflightOptions { allow_origins: origins.into_iter().map(Into::into).collect(), ..Default::default() }
    }
    /// Allows these methods.
    pub fn methods(mut self, methods: &[HttpMethod]) -> Self {
        self.allow_methods = methods.to_vec();
        self
    }
    /// Allows these request headers.
    pub fn headers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, headers: I) -> Self {
        self.allow_headers = headers.into_iter().map(Into::into).collect();
        self
    }
    /// Exposes these response headers.
    pub fn expose<I: IntoIterator<Item = S>, S: Into<String>>(mut self, headers: I) -> Self {
        self.expose_headers = headers.into_iter().map(Into::into).collect();
        self
    }
    /// Lets browsers cache the answer this long.
    pub fn max_age(mut self, age: Duration) -> Self {
        self.max_age = Some(age);
        self
    }
    /// Allows credentials, or explicitly not.
    pub fn allow_credentials(mut self, on: bool) -> Self {
        self.allow_credentials = Some(on);
        self
    }

    fn render(&self) -> std::result::Result<cfn_api::Cors, String> {
        if self.allow_credentials == Some(true) && self.allow_origins.iter().any(|o| o == "*") {
            return Err("CORS credentials cannot be allowed with the origin '*'; name the origins".into());
        }
        let mut c = cfn_api::Cors::new();
        if let Some(on) = self.allow_credentials {
            c = c.allow_credentials(on);
        }
        let strings = |v: &[String]| v.iter().map(|s| Val::from(s.as_str())).collect::<Vec<Val<String>>>();
        if !self.allow_headers.is_empty() {
            c = c.allow_headers(strings(&self.allow_headers));
        }
        if !self.allow_methods.is_empty() {
            c = c.allow_methods(self.allow_methods.iter().map(|m| Val::from(if *m == HttpMethod::Any { "*" } else { m.as_str() })).collect::<Vec<Val<String>>>());
        }
        if !self.allow_origins.is_empty() {
            c = c.allow_origins(strings(&self.allow_origins));
        }
        if !self.expose_headers.is_empty() {
            c = c.expose_headers(strings(&self.expose_headers));
        }
        if let Some(age) = self.max_age {
            let s = age.to_seconds();
            if s > 86_400 {
                return Err(format!("CORS max age {s} s is over API Gateway's 86,400 (a day)"));
            }
            c = c.max_age(i64::try_from(s).unwrap_or(i64::MAX));
        }
        Ok(c)
    }
}

/// Options of a stage added with [`HttpApi::add_stage`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct HttpStageOptions {
    /// Its name (default `$default`).
    pub stage_name: Option<String>,
    /// Whether changes deploy to it at once.
    pub auto_deploy: Option<bool>,
    /// A custom domain name the stage is mapped to.
    pub domain_mapping: Option<super::DomainMappingOptions>,
}

impl HttpStageOptions {
    /// A stage named `name`.
    pub fn named(name: impl Into<String>) -> Self {
        HttpStageOptions { stage_name: Some(name.into()), auto_deploy: None, domain_mapping: None }
    }
    setters! {
        /// Deploys changes at once, or not.
        some auto_deploy: bool;
        /// Maps the stage to a custom domain name.
        some domain_mapping: super::DomainMappingOptions;
    }
}

/// Options of an [`HttpApi`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct HttpApiProps {
    /// The API's name (default: its construct id, as CDK).
    pub api_name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// CORS preflight answers.
    pub cors_preflight: Option<CorsPreflightOptions>,
    /// Whether the `$default` stage is created (default: yes).
    pub create_default_stage: Option<bool>,
    /// A custom domain name the `$default` stage is mapped to (CDK's `defaultDomainMapping`).
    pub default_domain_mapping: Option<super::DomainMappingOptions>,
}

impl HttpApiProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the name.
        into api_name: String;
        /// Sets the description.
        into description: String;
        /// Answers CORS preflight requests.
        some cors_preflight: CorsPreflightOptions;
        /// Creates the `$default` stage, or not.
        some create_default_stage: bool;
        /// Maps the `$default` stage to a custom domain name.
        some default_domain_mapping: super::DomainMappingOptions;
    }
}

/// An HTTP API.
#[derive(Clone)]
pub struct HttpApi {
    scope: Scope,
    resource: CfnApi,
    routes: Rc<RefCell<Vec<String>>>,
    stages: Rc<RefCell<Vec<String>>>,
}

impl AsScope for HttpApi {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl HttpApi {
    /// Creates the API and its `$default` stage.
    pub fn new(scope: &impl AsScope, id: &str, props: HttpApiProps) -> Result<HttpApi> {
        let scope = scope.scope().child(id, "ironcdk.apigatewayv2.HttpApi")?;
        let mut p = CfnApiProps::new().name(props.api_name.clone().unwrap_or_else(|| id.to_string())).protocol_type("HTTP");
        if let Some(c) = &props.cors_preflight {
            p = p.cors_configuration(c.render().map_err(|why| scope.error(why))?);
        }
        if let Some(d) = &props.description {
            p = p.description(d.clone());
        }
        let resource = CfnApi::new(&scope, "Resource", p)?;
        let api = HttpApi { scope, resource, routes: Rc::default(), stages: Rc::default() };
        match (props.create_default_stage != Some(false), props.default_domain_mapping) {
            (true, mapping) => {
                let mut o = HttpStageOptions::named("$default").auto_deploy(true);
                o.domain_mapping = mapping;
                api.add_stage("DefaultStage", o)?;
            }
            (false, Some(_)) => return Err(api.scope.error("a default domain mapping needs the default stage; leave create_default_stage on")),
            (false, None) => {}
        }
        Ok(api)
    }

    /// Adds a stage (CDK's `addStage`): `$default` unless named. A name API Gateway refuses, or
    /// one the API already has, is an error naming the API.
    pub fn add_stage(&self, id: &str, options: HttpStageOptions) -> Result<()> {
        let name = options.stage_name.clone().unwrap_or_else(|| "$default".to_string());
        let ok = name == "$default" || ((1..=128).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)));
        if !ok {
            return Err(self.scope.error(format!("stage name '{name}' must be $default or 1 to 128 letters, digits and . _ -")));
        }
        if self.stages.borrow().contains(&name) {
            return Err(self.scope.error(format!("the API already has the stage '{name}'")));
        }
        let mut p = CfnStageProps::new(self.resource.ref_(), name.clone());
        if let Some(on) = options.auto_deploy {
            p = p.auto_deploy(on);
        }
        let stage_scope = self.scope.child(id, "ironcdk.apigatewayv2.HttpStage")?;
        let stage = CfnStage::new(&stage_scope, "Resource", p)?;
        if let Some(m) = &options.domain_mapping {
            if m.mapping_key.as_deref() == Some("") {
                return Err(stage_scope.error("an empty mapping key is refused; leave it unset to map the stage at the domain's root"));
            }
            // CDK's id: the domain name construct's path and the key (`undefined` when unset),
            // its `/` turned into `--` as construct ids are.
            let id = format!("{}{}", m.domain_name.scope().path(), m.mapping_key.as_deref().unwrap_or("undefined")).replace('/', "--");
            // As CDK: the stage by its name.
            let mut mp = CfnApiMappingProps::new(self.resource.ref_(), m.domain_name.name(), name.clone());
            if let Some(k) = &m.mapping_key {
                mp = mp.api_mapping_key(k.clone());
            }
            let mapping = CfnApiMapping::new(&stage_scope.child(&id, "ironcdk.apigatewayv2.ApiMapping")?, "Resource", mp)?;
            // As CDK: the mapping waits for its stage, and the stage (with the mapping) for
            // the domain name.
            mapping.add_depends_on(&stage)?;
            mapping.add_depends_on(m.domain_name.resource())?;
            stage.add_depends_on(m.domain_name.resource())?;
        }
        self.stages.borrow_mut().push(name);
        Ok(())
    }

    /// Adds a route per method for `path` (`/items/{id}`) to `integration`. A path that does not
    /// start with `/` or a route given twice is an error naming the API.
    pub fn add_routes(&self, path: &str, methods: &[HttpMethod], integration: &HttpLambdaIntegration) -> Result<()> {
        if !path.starts_with('/') || path.contains("//") || path.chars().any(char::is_whitespace) {
            return Err(self.scope.error(format!("route path '{path}' must start with / and hold no empty segment or space")));
        }
        for method in methods {
            let key = format!("{} {path}", method.as_str());
            if self.routes.borrow().contains(&key) {
                return Err(self.scope.error(format!("the API already has the route {key}")));
            }
            // CDK's route construct id: `GET--items--{id}`.
            let route_scope = self.scope.child(&format!("{}{}", method.as_str(), path.replace('/', "--")), "ironcdk.apigatewayv2.HttpRoute")?;
            let api_path = self.scope.path();
            let made = integration.made.borrow().iter().find(|(p, _)| *p == api_path).map(|(_, r)| r.clone());
            let integration_ref = match made {
                Some(r) => r,
                None => {
                    let i = CfnIntegration::new(
                        &route_scope.child(&integration.id, "ironcdk.apigatewayv2.HttpIntegration")?,
                        "Resource",
                        CfnIntegrationProps::new(self.resource.ref_(), "AWS_PROXY").integration_uri(integration.function_arn.clone()).payload_format_version("2.0"),
                    )?;
                    integration.made.borrow_mut().push((api_path, i.ref_()));
                    i.ref_()
                }
            };
            // As CDK: the route may invoke the function, from any stage and method of this path.
            let source = execute_api_arn(&route_scope, self.resource.ref_(), [format!("/*/*{path}").into()]);
            add_invoke_permission(&route_scope, &format!("{}-Permission", integration.id), integration.function_arn.clone(), "apigateway.amazonaws.com", source)?;
            CfnRoute::new(&route_scope, "Resource", CfnRouteProps::new(self.resource.ref_(), key.clone())
                .authorization_type("NONE")
                .target(fns::join("", ["integrations/".into(), integration_ref])))?;
            self.routes.borrow_mut().push(key);
        }
        Ok(())
    }

    /// `Ref` (the API's id).
    pub fn api_id(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// `Fn::GetAtt ApiEndpoint`: `https://<id>.execute-api.<region>.amazonaws.com`.
    pub fn api_endpoint(&self) -> Val<String> {
        self.resource.attr_api_endpoint()
    }
}
