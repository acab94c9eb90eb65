//! `cloudfront::Distribution`, rendered as aws-cdk-lib 2.276 renders `new cloudfront.Distribution`
//! in a new project (HTTP/2, IPv6, compression, viewers redirected to HTTPS), with its origins as
//! `aws-cloudfront-origins` makes them: an S3 bucket through origin access control
//! (`S3BucketOrigin.withOriginAccessControl`: the control, and the bucket policy statement scoped
//! to the distribution by `AWS:SourceArn`), or an HTTPS origin by domain name.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{fns, AsScope, Duration, Pseudo, Result, Scope, ToValue, Val, Value};

use super::generated::*;
use crate::iam::{PolicyStatement, Principal};
use crate::object;
use crate::s3::Bucket;

/// Where a behaviour's requests go.
#[derive(Clone)]
#[non_exhaustive]
pub enum Origin {
    /// A bucket of these templates, read through origin access control; the bucket stays
    /// private and its policy admits this distribution alone.
    S3WithOriginAccessControl(Box<Bucket>),
    /// An HTTPS server by domain name (CDK's `HttpOrigin`, HTTPS only, TLS 1.2).
    Http(String),
}

/// A managed cache policy by name (CDK's `CachePolicy.*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CachePolicy {
    /// `CachingOptimized` (the default).
    CachingOptimized,
    /// `CachingOptimizedForUncompressedObjects`
    CachingOptimizedForUncompressedObjects,
    /// `CachingDisabled`
    CachingDisabled,
    /// `UseOriginCacheControlHeaders`
    UseOriginCacheControlHeaders,
    /// `UseOriginCacheControlHeaders-QueryStrings`
    UseOriginCacheControlHeadersQueryStrings,
}

impl CachePolicy {
    fn id(self) -> &'static str {
        match self {
            CachePolicy::CachingOptimized => "658327ea-f89d-4fab-a63d-7e88639e58f6",
            CachePolicy::CachingOptimizedForUncompressedObjects => "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
            CachePolicy::CachingDisabled => "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            CachePolicy::UseOriginCacheControlHeaders => "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
            CachePolicy::UseOriginCacheControlHeadersQueryStrings => "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
        }
    }
}

/// A managed origin request policy by name (CDK's `OriginRequestPolicy.*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginRequestPolicy {
    /// `AllViewer`
    AllViewer,
    /// `AllViewerExceptHostHeader`
    AllViewerExceptHostHeader,
    /// `CORS-S3Origin`
    CorsS3Origin,
    /// `CORS-CustomOrigin`
    CorsCustomOrigin,
    /// `UserAgentRefererHeaders`
    UserAgentRefererHeaders,
}

impl OriginRequestPolicy {
    fn id(self) -> &'static str {
        match self {
            OriginRequestPolicy::AllViewer => "216adef6-5c7f-47e4-b989-5492eafa07d3",
            OriginRequestPolicy::AllViewerExceptHostHeader => "b689b0a8-53d0-40ab-baf2-68738e2966ac",
            OriginRequestPolicy::CorsS3Origin => "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
            OriginRequestPolicy::CorsCustomOrigin => "59781a5b-3903-41f3-afcb-af62929ccde1",
            OriginRequestPolicy::UserAgentRefererHeaders => "acba4595-bd28-49b8-b9fe-13317c0390fa",
        }
    }
}

/// Which methods a behaviour passes on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AllowedMethods {
    /// `GET`, `HEAD` (the default, not written).
    #[default]
    GetHead,
    /// `GET`, `HEAD`, `OPTIONS`
    GetHeadOptions,
    /// Every method.
    All,
}

/// How viewers may connect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ViewerProtocolPolicy {
    /// HTTP is redirected to HTTPS (the default of new projects).
    #[default]
    RedirectToHttps,
    /// HTTPS only.
    HttpsOnly,
    /// Either.
    AllowAll,
}

/// A behaviour: where requests go and how they are cached.
#[derive(Clone)]
#[non_exhaustive]
pub struct BehaviorOptions {
    /// The origin.
    pub origin: Origin,
    /// The cache policy (default `CachingOptimized`).
    pub cache_policy: Option<CachePolicy>,
    /// The origin request policy.
    pub origin_request_policy: Option<OriginRequestPolicy>,
    /// Methods passed on.
    pub allowed_methods: AllowedMethods,
    /// Viewer protocols.
    pub viewer_protocol_policy: ViewerProtocolPolicy,
    /// Compression (default on).
    pub compress: Option<bool>,
}

impl BehaviorOptions {
    /// Requests to `origin`, with CDK's defaults.
    pub fn new(origin: Origin) -> Self {
        BehaviorOptions { origin, cache_policy: None, origin_request_policy: None, allowed_methods: AllowedMethods::GetHead, viewer_protocol_policy: ViewerProtocolPolicy::RedirectToHttps, compress: None }
    }
    setters! {
        /// Sets the cache policy.
        some cache_policy: CachePolicy;
        /// Sets the origin request policy.
        some origin_request_policy: OriginRequestPolicy;
        /// Sets the methods passed on.
        set allowed_methods: AllowedMethods;
        /// Sets the viewer protocols.
        set viewer_protocol_policy: ViewerProtocolPolicy;
        /// Compresses, or not.
        some compress: bool;
    }
}

/// What viewers get instead of an error (a single-page app's `index.html` for 404, say).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// The origin's status (400 to 599).
    pub http_status: u16,
    /// The status viewers get.
    pub response_http_status: Option<u16>,
    /// The page viewers get (starting with `/`).
    pub response_page_path: Option<String>,
    /// How long CloudFront caches the error.
    pub ttl: Option<Duration>,
}

impl ErrorResponse {
    /// For origin status `http_status`.
    pub fn new(http_status: u16) -> Self {
        ErrorResponse { http_status, response_http_status: None, response_page_path: None, ttl: None }
    }
    /// Answers with `page` and `status`.
    pub fn page(mut self, status: u16, page: impl Into<String>) -> Self {
        self.response_http_status = Some(status);
        self.response_page_path = Some(page.into());
        self
    }
    /// Caches the error this long.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }
}

/// Which edge locations serve the distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceClass {
    /// North America and Europe.
    PriceClass100,
    /// Most regions.
    PriceClass200,
    /// All (the default, not written).
    PriceClassAll,
}

/// Options of a [`Distribution`].
#[derive(Clone)]
#[non_exhaustive]
pub struct DistributionProps {
    /// The default behaviour.
    pub default_behavior: BehaviorOptions,
    /// The object served for `/`.
    pub default_root_object: Option<String>,
    /// Custom domain names (need a certificate).
    pub domain_names: Vec<String>,
    /// The ACM certificate's ARN, in us-east-1 (CloudFront's requirement).
    pub certificate_arn: Option<String>,
    /// Or the certificate itself: one made in a stack in us-east-1, or imported.
    pub certificate: Option<crate::certificatemanager::Certificate>,
    /// Error responses.
    pub error_responses: Vec<ErrorResponse>,
    /// Description.
    pub comment: Option<String>,
    /// Edge locations.
    pub price_class: Option<PriceClass>,
    /// Enabled (default yes).
    pub enabled: Option<bool>,
}

impl DistributionProps {
    /// A distribution whose default behaviour is `default_behavior`.
    pub fn new(default_behavior: BehaviorOptions) -> Self {
        DistributionProps { default_behavior, default_root_object: None, domain_names: Vec::new(), certificate_arn: None, certificate: None, error_responses: Vec::new(), comment: None, price_class: None, enabled: None }
    }
    /// Serves these domain names with the certificate `arn` (in us-east-1).
    pub fn domain_names<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I, certificate_arn: impl Into<String>) -> Self {
        self.domain_names = names.into_iter().map(Into::into).collect();
        self.certificate_arn = Some(certificate_arn.into());
        self.certificate = None;
        self
    }
    /// Serves these domain names with `certificate` (CDK's `domainNames` and `certificate`):
    /// one requested in a stack in us-east-1, or imported by its ARN.
    pub fn domain_names_with_certificate<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I, certificate: &crate::certificatemanager::Certificate) -> Self {
        self.domain_names = names.into_iter().map(Into::into).collect();
        self.certificate = Some(certificate.clone());
        self.certificate_arn = None;
        self
    }
    setters! {
        /// Serves this object for `/`.
        into default_root_object: String;
        /// Sets the error responses.
        set error_responses: Vec<ErrorResponse>;
        /// Sets the description.
        into comment: String;
        /// Sets the edge locations.
        some price_class: PriceClass;
        /// Enables or disables it.
        some enabled: bool;
    }
}

/// One origin as made: what it is (the bucket's path or the domain), its id in the
/// distribution and its rendered entry.
struct MadeOrigin {
    what: String,
    id: Val<String>,
    entry: Value,
}

impl Origin {
    /// A bucket of these templates through origin access control (CDK's
    /// `S3BucketOrigin.withOriginAccessControl`).
    pub fn s3_with_origin_access_control(bucket: &Bucket) -> Origin {
        Origin::S3WithOriginAccessControl(Box::new(bucket.clone()))
    }
    /// An HTTPS server by domain name (CDK's `HttpOrigin`).
    pub fn http(domain: impl Into<String>) -> Origin {
        Origin::Http(domain.into())
    }
    /// What makes two origins the same one: the bucket, or the domain.
    fn identity(&self) -> String {
        match self {
            Origin::S3WithOriginAccessControl(b) => format!("s3:{}", b.scope().path()),
            Origin::Http(d) => format!("http:{d}"),
        }
    }
}

/// A CloudFront distribution.
#[derive(Clone)]
pub struct Distribution {
    scope: Scope,
    resource: CfnDistribution,
    origins: Rc<RefCell<Vec<MadeOrigin>>>,
    behaviors: Rc<RefCell<Vec<Value>>>,
}

impl AsScope for Distribution {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl Distribution {
    /// Creates the distribution and its default behaviour's origin. What CloudFront refuses is
    /// an error naming it: a certificate outside us-east-1 or not an ACM certificate ARN, domain
    /// names without a certificate (or the reverse), a root object starting with `/`, an error
    /// status outside 400 to 599, and an error page not starting with `/`.
    pub fn new(scope: &impl AsScope, id: &str, props: DistributionProps) -> Result<Distribution> {
        let scope = scope.scope().child(id, "ironcdk.cloudfront.Distribution")?;
        let certificate: Option<Value> = match (&props.certificate_arn, &props.certificate) {
            (Some(_), Some(_)) => return Err(scope.error("both a certificate ARN and a certificate are given; give one")),
            (Some(arn), None) => {
                check_certificate_arn(&scope, arn)?;
                Some(Value::Str(arn.into()))
            }
            (None, Some(c)) => {
                let arn = c.certificate_arn();
                match arn.as_value().as_str() {
                    Some(literal) => check_certificate_arn(&scope, literal)?,
                    None => {
                        // Requested in this app: its stack's region, when pinned (an ARN
                        // imported as a token says nothing here).
                        if let Some(region) = c.requested_in().filter(|r| r != "us-east-1") {
                            return Err(scope.error(format!(
                                "certificate {} is requested in {region}; CloudFront takes certificates from us-east-1 only: request it in a stack in us-east-1",
                                c.scope().path()
                            )));
                        }
                    }
                }
                Some(arn.into_value())
            }
            (None, None) => None,
        };
        if certificate.is_some() && props.domain_names.is_empty() {
            return Err(scope.error("a certificate is given without domain names; name the domains it serves"));
        }
        if props.default_root_object.as_deref().is_some_and(|o| o.starts_with('/')) {
            return Err(scope.error("the default root object is an object name, without a leading '/': 'index.html'"));
        }
        let mut errors = Vec::new();
        for e in &props.error_responses {
            if !(400..=599).contains(&e.http_status) {
                return Err(scope.error(format!("error response status {} is not an error status (400 to 599)", e.http_status)));
            }
            if e.response_page_path.as_deref().is_some_and(|p| !p.starts_with('/')) {
                return Err(scope.error("an error response page path starts with '/'"));
            }
            let mut m: Vec<(&str, Value)> = Vec::new();
            if let Some(t) = e.ttl {
                m.push(("ErrorCachingMinTTL", Value::Int(i64::try_from(t.to_seconds()).unwrap_or(i64::MAX))));
            }
            m.push(("ErrorCode", Value::Int(i64::from(e.http_status))));
            if let Some(s) = e.response_http_status {
                m.push(("ResponseCode", Value::Int(i64::from(s))));
            }
            if let Some(p) = &e.response_page_path {
                m.push(("ResponsePagePath", Value::Str(p.into())));
            }
            errors.push(object(m));
        }
        let origins: Rc<RefCell<Vec<MadeOrigin>>> = Rc::default();
        let behaviors: Rc<RefCell<Vec<Value>>> = Rc::default();
        let default_cell: Rc<RefCell<Value>> = Rc::new(RefCell::new(Value::Null));
        let (o, b, d, p) = (origins.clone(), behaviors.clone(), default_cell.clone(), props.clone());
        let resource = CfnDistribution::new_lazy(&scope, "Resource", move || {
            let mut c: Vec<(&str, Value)> = Vec::new();
            if !p.domain_names.is_empty() {
                c.push(("Aliases", Value::List(p.domain_names.iter().map(|n| Value::Str(n.into())).collect())));
            }
            let behaviors = b.borrow();
            if !behaviors.is_empty() {
                c.push(("CacheBehaviors", Value::List(behaviors.clone())));
            }
            if let Some(comment) = &p.comment {
                c.push(("Comment", Value::Str(comment.into())));
            }
            if !errors.is_empty() {
                c.push(("CustomErrorResponses", Value::List(errors.clone())));
            }
            c.push(("DefaultCacheBehavior", d.borrow().clone()));
            if let Some(r) = &p.default_root_object {
                c.push(("DefaultRootObject", Value::Str(r.into())));
            }
            c.push(("Enabled", Value::Bool(p.enabled.unwrap_or(true))));
            c.push(("HttpVersion", Value::Str("http2".into())));
            c.push(("IPV6Enabled", Value::Bool(true)));
            c.push(("Origins", Value::List(o.borrow().iter().map(|x| x.entry.clone()).collect())));
            match p.price_class {
                Some(PriceClass::PriceClass100) => c.push(("PriceClass", Value::Str("PriceClass_100".into()))),
                Some(PriceClass::PriceClass200) => c.push(("PriceClass", Value::Str("PriceClass_200".into()))),
                Some(PriceClass::PriceClassAll) => c.push(("PriceClass", Value::Str("PriceClass_All".into()))),
                None => {}
            }
            if let Some(arn) = &certificate {
                c.push((
                    "ViewerCertificate",
                    object([
                        ("AcmCertificateArn", arn.clone()),
                        ("MinimumProtocolVersion", Value::Str("TLSv1.2_2021".into())),
                        ("SslSupportMethod", Value::Str("sni-only".into())),
                    ]),
                ));
            }
            CfnDistributionProps::new(Val::unchecked(object(c)))
        })?;
        let distribution = Distribution { scope, resource, origins, behaviors };
        let default = distribution.behavior(None, &props.default_behavior)?;
        *default_cell.borrow_mut() = default;
        Ok(distribution)
    }

    /// Adds a behaviour for `path_pattern` (`/api/*`).
    pub fn add_behavior(&self, path_pattern: &str, options: BehaviorOptions) -> Result<()> {
        if path_pattern.is_empty() || path_pattern.len() > 255 || path_pattern.chars().any(char::is_whitespace) {
            return Err(self.scope.error(format!("path pattern '{path_pattern}' must be 1 to 255 characters without spaces")));
        }
        let b = self.behavior(Some(path_pattern), &options)?;
        self.behaviors.borrow_mut().push(b);
        Ok(())
    }

    /// A behaviour's entry, making its origin when this origin is new to the distribution.
    fn behavior(&self, path: Option<&str>, o: &BehaviorOptions) -> Result<Value> {
        let origin_id = self.origin(&o.origin)?;
        let mut m: Vec<(&str, Value)> = Vec::new();
        match o.allowed_methods {
            AllowedMethods::GetHead => {}
            AllowedMethods::GetHeadOptions => m.push(("AllowedMethods", strings(&["GET", "HEAD", "OPTIONS"]))),
            AllowedMethods::All => m.push(("AllowedMethods", strings(&["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]))),
        }
        m.push(("CachePolicyId", Value::Str(o.cache_policy.unwrap_or(CachePolicy::CachingOptimized).id().into())));
        m.push(("Compress", Value::Bool(o.compress.unwrap_or(true))));
        if let Some(r) = o.origin_request_policy {
            m.push(("OriginRequestPolicyId", Value::Str(r.id().into())));
        }
        if let Some(p) = path {
            m.push(("PathPattern", Value::Str(p.into())));
        }
        m.push(("TargetOriginId", origin_id.to_value()));
        let viewer = match o.viewer_protocol_policy {
            ViewerProtocolPolicy::RedirectToHttps => "redirect-to-https",
            ViewerProtocolPolicy::HttpsOnly => "https-only",
            ViewerProtocolPolicy::AllowAll => "allow-all",
        };
        m.push(("ViewerProtocolPolicy", Value::Str(viewer.into())));
        Ok(object(m))
    }

    /// The id of `origin` in the distribution: made (`Origin<n>`, CDK's construct and id) the
    /// first time a behaviour uses it; the same bucket or domain again is the same origin (as
    /// CDK reuses an origin object given twice).
    fn origin(&self, origin: &Origin) -> Result<Val<String>> {
        let what = origin.identity();
        if let Some(o) = self.origins.borrow().iter().find(|o| o.what == what) {
            return Ok(o.id.clone());
        }
        let n = self.origins.borrow().len().saturating_add(1);
        let scope = self.scope.child(&format!("Origin{n}"), "ironcdk.cloudfront.Origin")?;
        let id = Val::from(scope.unique_id().as_str());
        let entry = match origin {
            Origin::Http(domain) => {
                if domain.is_empty() || domain.contains('/') || domain.contains(':') {
                    return Err(self.scope.error(format!("origin '{domain}' must be a domain name (no scheme, port or path)")));
                }
                object([
                    ("CustomOriginConfig", object([("OriginProtocolPolicy", Value::Str("https-only".into())), ("OriginSSLProtocols", strings(&["TLSv1.2"]))])),
                    ("DomainName", Value::Str(domain.into())),
                    ("Id", id.to_value()),
                ])
            }
            Origin::S3WithOriginAccessControl(bucket) => {
                let Some(domain) = bucket.bucket_regional_domain_name() else {
                    return Err(self.scope.error(format!(
                        "bucket {} is imported: origin access control needs its policy to admit the distribution, and its policy is not in these templates",
                        bucket.scope().path()
                    )));
                };
                let oac_scope = scope.child("S3OriginAccessControl", "ironcdk.cloudfront.OriginAccessControl")?;
                let oac = CfnOriginAccessControl::new(
                    &oac_scope,
                    "Resource",
                    CfnOriginAccessControlProps::new(Val::unchecked(object([
                        ("Name", Value::Str(oac_scope.unique_resource_name("", 64).into())),
                        ("OriginAccessControlOriginType", Value::Str("s3".into())),
                        ("SigningBehavior", Value::Str("always".into())),
                        ("SigningProtocol", Value::Str("sigv4".into())),
                    ]))),
                )?;
                // As CDK: the bucket admits CloudFront reading objects for this distribution only
                // (the partition always `AWS::Partition`, as CDK writes it here).
                let source = fns::join("", [
                    "arn:".into(),
                    Pseudo::Partition.val(),
                    ":cloudfront::".into(),
                    Pseudo::AccountId.val(),
                    ":distribution/".into(),
                    self.resource.ref_(),
                ]);
                bucket.add_to_resource_policy(
                    PolicyStatement::allow()
                        .actions(["s3:GetObject"])
                        .principal(Principal::service("cloudfront.amazonaws.com"))
                        .resource(bucket.arn_for_objects("*"))
                        .condition(object([("StringEquals", object([("AWS:SourceArn", source.into_value())]))])),
                )?;
                // As CDK: a bucket encrypted with a key of yours lets CloudFront decrypt; the
                // condition names every distribution of the account (naming this one would be a
                // cycle: key, bucket, distribution).
                if let Some(key) = bucket.encryption_key() {
                    let any = fns::join("", ["arn:".into(), Pseudo::Partition.val(), ":cloudfront::".into(), Pseudo::AccountId.val(), ":distribution/*".into()]);
                    key.add_to_resource_policy(
                        PolicyStatement::allow()
                            .actions(["kms:Decrypt"])
                            .principal(Principal::service("cloudfront.amazonaws.com"))
                            .resource("*")
                            .condition(object([("ArnLike", object([("AWS:SourceArn", any.into_value())]))])),
                    );
                }
                object([
                    ("DomainName", domain.into_value()),
                    ("Id", id.to_value()),
                    ("OriginAccessControlId", oac.attr_id().into_value()),
                    ("S3OriginConfig", object([("OriginAccessIdentity", Value::Str(String::new().into()))])),
                ])
            }
        };
        self.origins.borrow_mut().push(MadeOrigin { what, id: id.clone(), entry });
        Ok(id)
    }

    /// `Ref` (the distribution's id).
    pub fn distribution_id(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// `Fn::GetAtt DomainName` (`d111111abcdef8.cloudfront.net`).
    pub fn distribution_domain_name(&self) -> Val<String> {
        self.resource.attr_domain_name()
    }
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| Value::Str((*s).into())).collect())
}

/// What CloudFront takes as a certificate ARN: ACM's, in us-east-1.
fn check_certificate_arn(scope: &Scope, arn: &str) -> Result<()> {
    let parts: Vec<&str> = arn.split(':').collect();
    let acm = parts.len() == 6 && parts.first() == Some(&"arn") && parts.get(2) == Some(&"acm") && parts.get(5).is_some_and(|r| r.starts_with("certificate/"));
    if !acm {
        return Err(scope.error(format!("'{arn}' is not an ACM certificate ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>)")));
    }
    if parts.get(3) != Some(&"us-east-1") {
        return Err(scope.error(format!(
            "certificate {arn} is in {}; CloudFront takes certificates from us-east-1 only: request or import it there",
            parts.get(3).unwrap_or(&"?")
        )));
    }
    Ok(())
}
