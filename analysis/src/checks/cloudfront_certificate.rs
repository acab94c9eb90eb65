//! `cloudfront-certificate-region`: a CloudFront distribution serving an ACM certificate that
//! is not in us-east-1, the only region CloudFront takes certificates from.

use ironcdk_template::Severity;

use super::unknown_text;
use crate::network::Resolved;

rule! {
    /// `cloudfront-certificate-region`: a CloudFront distribution serving an ACM certificate
    /// that is not in us-east-1.
    CloudFrontCertificate = "cloudfront-certificate-region", |net, app, out| {
        for (dist, cert) in &net.distribution_certificates {
            let region = match cert {
                Resolved::Literal(arn) => arn.split(':').nth(3).map(str::to_string),
                Resolved::Ref(k) if out.element(k.stack, &k.logical_id).is_some_and(|e| e.type_name == "AWS::CertificateManager::Certificate") => {
                    match app.stacks.get(k.stack).and_then(|s| s.env.region.clone()) {
                        Some(r) => Some(r),
                        None => {
                            out.at(dist, ID, Severity::Info, format!("cannot verify the certificate's region: {} is made in its stack's region, which the template does not fix", out.name(k)), "deploy that stack to us-east-1, the only region CloudFront takes certificates from");
                            continue;
                        }
                    }
                }
                other => {
                    out.at(dist, ID, Severity::Info, format!("cannot verify the certificate's region: it is {}", unknown_text(other)), "pass a certificate from us-east-1, the only region CloudFront takes certificates from");
                    continue;
                }
            };
            if let Some(r) = region.filter(|r| r != "us-east-1") {
                out.at(
                    dist,
                    ID,
                    Severity::Error,
                    format!("the distribution serves a certificate from {r}; CloudFront takes certificates from us-east-1 only and the deploy fails"),
                    "request or import the certificate in us-east-1 (a stack of its own there, or DNS validation in that region)",
                );
            }
        }
    }
}
