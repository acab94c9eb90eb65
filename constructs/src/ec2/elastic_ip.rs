//! `ElasticIp`: a public IPv4 address of the account, for an internet-facing NLB's subnet
//! mapping (article 001) or a NAT gateway. Billed by the hour whether or not it is attached.

use ironcdk_synth::{AsScope, Result, Scope, Val};

use super::generated::*;

/// Options of an [`ElasticIp`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ElasticIpProps {
    /// Keep the address when the stack is deleted (default false). An address that must
    /// outlive the stack is better allocated outside it and passed as a parameter, as the
    /// `nlb_static_ip` example does.
    pub retain_on_delete: bool,
}

impl ElasticIpProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Keeps the address when the stack is deleted.
        set retain_on_delete: bool;
    }
}

/// An Elastic IP in the VPC domain (`<id>/Resource`).
///
/// ```
/// use ironcdk_constructs::ec2::{ElasticIp, ElasticIpProps};
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// let eip = ElasticIp::new(&stack, "Address", ElasticIpProps::new()).unwrap();
/// let _allocation = eip.allocation_id();
/// ```
#[derive(Clone)]
pub struct ElasticIp {
    scope: Scope,
    resource: CfnEip,
}

impl AsScope for ElasticIp {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl ElasticIp {
    /// Allocates the address.
    pub fn new(scope: &impl AsScope, id: &str, props: ElasticIpProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.ec2.ElasticIp")?;
        let resource = CfnEip::new(&scope, "Resource", CfnEipProps::new().domain("vpc"))?;
        if props.retain_on_delete {
            resource.resource().apply_removal_policy(ironcdk_synth::RemovalPolicy::Retain);
        }
        Ok(ElasticIp { scope, resource })
    }

    /// `Fn::GetAtt AllocationId`: what a subnet mapping or NAT gateway takes.
    pub fn allocation_id(&self) -> Val<String> {
        self.resource.attr_allocation_id()
    }

    /// `Fn::GetAtt PublicIp` (also its `Ref`).
    pub fn public_ip(&self) -> Val<String> {
        self.resource.attr_public_ip()
    }
}
