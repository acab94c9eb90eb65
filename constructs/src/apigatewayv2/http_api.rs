//! `HttpApi`: an `AWS::ApiGatewayV2::Api` of protocol HTTP with CDK's `$default` stage
//! (deployed automatically), routes `METHOD /path`, and Lambda proxy integrations (payload
//! format 2.0) with the invoke permission CDK adds for each route.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{fns, AsScope, Result, Scope, Val};

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

/// Options of an [`HttpApi`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct HttpApiProps {
    /// The API's name (default: its construct id, as CDK).
    pub api_name: Option<String>,
    /// Description.
    pub description: Option<String>,
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
    }
}

/// An HTTP API.
#[derive(Clone)]
pub struct HttpApi {
    scope: Scope,
    resource: CfnApi,
    routes: Rc<RefCell<Vec<String>>>,
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
        if let Some(d) = &props.description {
            p = p.description(d.clone());
        }
        let resource = CfnApi::new(&scope, "Resource", p)?;
        CfnStage::new(&scope.child("DefaultStage", "ironcdk.apigatewayv2.HttpStage")?, "Resource", CfnStageProps::new(resource.ref_(), "$default").auto_deploy(true))?;
        Ok(HttpApi { scope, resource, routes: Rc::default() })
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
