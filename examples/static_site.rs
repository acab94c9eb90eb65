//! A static site: a private bucket served by CloudFront through origin access control, on a
//! custom domain with an ACM certificate (which CloudFront takes from us-east-1 only), with the
//! single-page app's `index.html` for unknown paths.
//!
//! `cargo run --example static_site` writes `cdk.out/StaticSite.template.json`. Upload the site
//! with `aws s3 sync ./dist s3://<bucket>`; the bucket admits this distribution alone.

use ironcdk::cloudfront::{BehaviorOptions, Distribution, DistributionProps, ErrorResponse, Origin};
use ironcdk::s3::{BlockPublicAccess, Bucket, BucketEncryption, BucketProps};
use ironcdk::{App, Duration, Output, Stack};

/// The certificate for `www.example.com`, requested in us-east-1.
pub const CERTIFICATE_ARN: &str = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";

/// Builds the stack into `app`.
pub fn static_site(app: &App) -> ironcdk::Result<Stack> {
    let stack = Stack::new(app, "StaticSite")?;
    let site = Bucket::new(&stack, "Site", BucketProps::new()
        .encryption(BucketEncryption::S3Managed)
        .block_public_access(BlockPublicAccess::BLOCK_ALL)
        .enforce_ssl(true))?;
    let cdn = Distribution::new(&stack, "Cdn", DistributionProps::new(BehaviorOptions::new(Origin::s3_with_origin_access_control(&site)))
        .default_root_object("index.html")
        .domain_names(["www.example.com"], CERTIFICATE_ARN)
        .error_responses(vec![
            ErrorResponse::new(403).page(200, "/index.html").ttl(Duration::minutes(5)),
            ErrorResponse::new(404).page(200, "/index.html").ttl(Duration::minutes(5)),
        ]))?;
    Output::new(&stack, "SiteBucket", site.bucket_name())?;
    Output::new(&stack, "DistributionDomainName", cdn.distribution_domain_name())?;
    Ok(stack)
}

fn main() -> std::process::ExitCode {
    let app = App::new();
    ironcdk::exit_code(static_site(&app).and_then(|_| app.synth()))
}
