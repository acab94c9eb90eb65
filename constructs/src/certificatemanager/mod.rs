//! AWS Certificate Manager: `Certificate` (requested, validated through DNS records in a
//! hosted zone, or by email as CDK's default) and imports by ARN, as aws-cdk-lib 2.276 writes
//! them; and the generated L1 resources.

generated_l1!("certificatemanager");
pub use generated::*;

use ironcdk_synth::{AsScope, Result, Scope, Val};

use crate::route53::{AsHostedZone, HostedZone};

/// How ACM checks that the domain is yours (CDK's `CertificateValidation`).
#[derive(Clone)]
#[non_exhaustive]
pub enum CertificateValidation {
    /// DNS records ACM asks for; with a zone, CloudFormation creates them there and the
    /// certificate is issued without anyone acting.
    Dns(Option<HostedZone>),
    /// An email to the domain's contacts: the deploy waits until someone approves it (CDK's
    /// default).
    Email,
}

impl CertificateValidation {
    /// DNS validation with the records created in `zone`.
    pub fn from_dns(zone: &impl AsHostedZone) -> Self {
        CertificateValidation::Dns(Some(zone.hosted_zone()))
    }
    /// DNS validation with records you create.
    pub fn from_dns_records_of_your_own() -> Self {
        CertificateValidation::Dns(None)
    }
    /// Email validation.
    pub fn from_email() -> Self {
        CertificateValidation::Email
    }
}

/// Options of a [`Certificate`].
#[derive(Clone)]
#[non_exhaustive]
pub struct CertificateProps {
    /// The domain (`www.example.com`, or `*.example.com`).
    pub domain_name: String,
    /// More names the certificate covers.
    pub subject_alternative_names: Vec<String>,
    /// How ACM checks the domains (default: email, as CDK).
    pub validation: CertificateValidation,
    /// The `Name` tag (default: the construct path, as CDK).
    pub certificate_name: Option<String>,
}

impl CertificateProps {
    /// A certificate for `domain_name`.
    pub fn new(domain_name: impl Into<String>) -> Self {
        CertificateProps { domain_name: domain_name.into(), subject_alternative_names: Vec::new(), validation: CertificateValidation::Email, certificate_name: None }
    }
    setters! {
        /// Sets the other names.
        set subject_alternative_names: Vec<String>;
        /// Sets the validation.
        set validation: CertificateValidation;
        /// Sets the `Name` tag.
        into certificate_name: String;
    }
}

/// An ACM certificate, made here or imported.
#[derive(Clone)]
pub struct Certificate {
    scope: Scope,
    arn: Val<String>,
    /// Requested in this app (then in its stack's region), not imported by ARN.
    requested: bool,
}

impl AsScope for Certificate {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

/// What ACM takes as a name: letters, digits, `-`, `.`, a leading `*.`, 1 to 253 characters,
/// labels of at most 63.
fn check_domain(scope: &Scope, name: &str) -> Result<()> {
    let body = name.strip_prefix("*.").unwrap_or(name);
    let ok = !body.is_empty()
        && name.len() <= 253
        && body.split('.').all(|l| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && body.contains('.');
    if !ok {
        return Err(scope.error(format!("'{name}' is not a domain name ACM takes (labels of letters, digits and '-', a leading '*.' at most)")));
    }
    Ok(())
}

/// Second-level public suffixes under which a domain is registered one label deeper (`co.uk`):
/// the common ones of the public suffix list CDK reads.
const SECOND_LEVEL_SUFFIXES: &[&str] = &[
    "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "edu.au", "gov.au", "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp",
    "com.br", "net.br", "org.br", "co.nz", "org.nz", "net.nz", "com.cn", "net.cn", "org.cn", "co.in", "net.in", "org.in", "co.kr", "or.kr", "com.mx", "com.tw", "com.sg", "com.hk",
    "co.za", "com.tr", "co.il",
];

/// The registered domain of a name (CDK's `apexDomain`): the public suffix and one label more
/// (`www.shop.example.net` → `example.net`, `www.example.co.uk` → `example.co.uk`).
fn registered_domain(name: &str) -> String {
    let labels: Vec<&str> = name.trim_start_matches("*.").split('.').collect();
    let take = match labels.as_slice() {
        [.., second, top] if SECOND_LEVEL_SUFFIXES.contains(&format!("{second}.{top}").to_ascii_lowercase().as_str()) => 3,
        _ => 2,
    };
    labels.iter().skip(labels.len().saturating_sub(take)).copied().collect::<Vec<_>>().join(".")
}

impl Certificate {
    /// Requests the certificate. With DNS validation in a zone, each name must be inside it.
    pub fn new(scope: &impl AsScope, id: &str, props: CertificateProps) -> Result<Certificate> {
        let scope = scope.scope().child(id, "ironcdk.certificatemanager.Certificate")?;
        let names: Vec<&String> = std::iter::once(&props.domain_name).chain(&props.subject_alternative_names).collect();
        for n in &names {
            check_domain(&scope, n)?;
        }
        if props.subject_alternative_names.len() > 99 {
            return Err(scope.error("a certificate covers at most 100 names (ACM's default quota)"));
        }
        let mut p = CfnCertificateProps::new(props.domain_name.clone());
        match &props.validation {
            CertificateValidation::Dns(zone) => {
                if let Some(z) = zone {
                    let apex = z.zone_name().to_ascii_lowercase();
                    let mut options = Vec::new();
                    for n in &names {
                        let bare = n.strip_prefix("*.").unwrap_or(n).to_ascii_lowercase();
                        if bare != apex && !bare.ends_with(&format!(".{apex}")) {
                            return Err(scope.error(format!("'{n}' is not inside zone '{apex}', where its validation record would go; validate it with another zone")));
                        }
                        options.push(cfn_certificate::DomainValidationOption::new().domain_name((*n).clone()).hosted_zone_id(z.hosted_zone_id()));
                    }
                    p = p.domain_validation_options(options);
                }
                p = p.validation_method("DNS");
            }
            CertificateValidation::Email => {
                // As CDK: the email goes to the contacts of each name's registered domain.
                p = p
                    .domain_validation_options(names.iter().map(|n| cfn_certificate::DomainValidationOption::new().domain_name((*n).clone()).validation_domain(registered_domain(n))).collect::<Vec<_>>())
                    .validation_method("EMAIL");
            }
        }
        if !props.subject_alternative_names.is_empty() {
            p = p.subject_alternative_names(props.subject_alternative_names.clone());
        }
        let resource = CfnCertificate::new(&scope, "Resource", p)?;
        let path = scope.path();
        let name: String = props.certificate_name.clone().unwrap_or_else(|| path.chars().take(255).collect());
        scope.add_tag("Name", name);
        Ok(Certificate { scope, arn: resource.ref_(), requested: true })
    }

    /// An existing certificate by ARN (CDK's `fromCertificateArn`).
    pub fn from_certificate_arn(scope: &impl AsScope, id: &str, arn: impl Into<Val<String>>) -> Result<Certificate> {
        let scope = scope.scope().child(id, "ironcdk.certificatemanager.ImportedCertificate")?;
        let arn = arn.into();
        if let Some(a) = arn.as_value().as_str() {
            if !(a.starts_with("arn:") && a.split(':').nth(2) == Some("acm") && a.contains(":certificate/")) {
                return Err(scope.error(format!("'{a}' is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)")));
            }
        }
        Ok(Certificate { scope, arn, requested: false })
    }

    /// The certificate's ARN.
    pub fn certificate_arn(&self) -> Val<String> {
        self.arn.clone()
    }

    /// The region it is requested in: its stack's, when pinned (`None` for an imported
    /// certificate, whose ARN says where it is).
    pub fn requested_in(&self) -> Option<String> {
        if self.requested {
            self.scope.region()
        } else {
            None
        }
    }
}
