//! What network and application target groups share: the handle a service registers with, the
//! listeners (or listener rules) that attach the group to a load balancer, and the security
//! groups those load balancers must be let through.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{Duration, Resource, Result, Scope, Val};

use super::generated::cfn_target_group;
use super::nlb::TargetType;
use crate::ec2::{Connections, Port, Vpc};

/// Who is attached to a target group, kept until the last listener or target is added.
#[derive(Default)]
pub(crate) struct Attachments {
    /// Listeners and listener rules forwarding to the group (shared with the dependencies of
    /// registered services, which read it when synth runs).
    listeners: Rc<RefCell<Vec<Scope>>>,
    /// The security groups of the load balancers forwarding to the group.
    load_balancers: RefCell<Vec<Connections>>,
    /// Registered targets' security groups and ports.
    targets: RefCell<Vec<(Connections, Port)>>,
}

/// Target groups one forward action may name (Elastic Load Balancing's quota).
const MAX_FORWARD_GROUPS: usize = 5;

/// A forward to the target groups at `paths`, as Elastic Load Balancing takes it: at most five,
/// each once. The error names the construct that asked.
pub(crate) fn check_forward(scope: &Scope, paths: &[String]) -> Result<()> {
    if paths.len() > MAX_FORWARD_GROUPS {
        return Err(scope.error(format!(
            "forwards to {} target groups; Elastic Load Balancing allows {MAX_FORWARD_GROUPS} in one action: split the traffic over several rules",
            paths.len()
        )));
    }
    for (i, p) in paths.iter().enumerate() {
        if paths.iter().take(i).any(|q| q == p) {
            return Err(scope.error(format!("forwards to target group {p} twice; name each group once")));
        }
    }
    Ok(())
}

/// What a rule letting a load balancer reach its targets says, as in CDK.
const DESCRIPTION: &str = "Load balancer to target";

impl Attachments {
    /// A listener (or rule) now forwards to the group, and a load balancer with security
    /// groups is let through to the registered targets.
    pub(crate) fn attach(&self, listener: &Scope, load_balancer: Option<&Connections>) -> Result<()> {
        self.listeners.borrow_mut().push(listener.clone());
        if let Some(lb) = load_balancer {
            for (target, port) in self.targets.borrow().iter() {
                target.allow_from(lb, *port, Some(DESCRIPTION))?;
            }
            self.load_balancers.borrow_mut().push(lb.clone());
        }
        Ok(())
    }

    /// A target (a service's security groups and port) registers with the group. The service
    /// waits for every listener forwarding to the group, those added later included: the list
    /// is read when synth runs, not patched into the service as listeners come.
    pub(crate) fn register(&self, target: &Connections, port: Port, dependent: &Resource) -> Result<()> {
        let listeners = self.listeners.clone();
        dependent.add_depends_on_later(move || listeners.borrow().clone());
        for lb in self.load_balancers.borrow().iter() {
            target.allow_from(lb, port, Some(DESCRIPTION))?;
        }
        self.targets.borrow_mut().push((target.clone(), port));
        Ok(())
    }

    /// The listeners and rules forwarding to the group.
    pub(crate) fn listeners(&self) -> Vec<Scope> {
        self.listeners.borrow().clone()
    }
}

/// A target group as a service sees it: what network and application target groups both give
/// ([`NetworkTargetGroup::reference`](super::NetworkTargetGroup::reference),
/// [`ApplicationTargetGroup::reference`](super::ApplicationTargetGroup::reference)).
#[derive(Clone)]
pub struct TargetGroupRef {
    /// Construct path.
    pub path: String,
    /// `Ref` (the ARN).
    pub target_group_arn: Val<String>,
    /// The group's VPC (its load balancer's).
    pub vpc: Vpc,
    pub(crate) attachments: Rc<Attachments>,
    /// The group's type: an application target group's stays unset until a typed target is
    /// added (read when synth runs).
    pub(crate) target_type: Rc<std::cell::Cell<Option<TargetType>>>,
}

impl TargetGroupRef {
    /// The group's target type as it stands: `None` for an application target group no typed
    /// target was added to (CloudFormation then makes it `instance`).
    pub fn target_type(&self) -> Option<TargetType> {
        self.target_type.get()
    }

    /// Registers a target: `dependent` waits for every listener forwarding to the group, and
    /// the load balancers' security groups are let into `target` on `port`.
    pub fn register(&self, target: &Connections, port: Port, dependent: &Resource) -> Result<()> {
        self.attachments.register(target, port, dependent)
    }

    /// The listeners and rules forwarding to the group: a service registering targets must be
    /// created after them, or ECS rejects the group as not attached to a load balancer.
    pub fn listeners(&self) -> Vec<Scope> {
        self.attachments.listeners()
    }
}

/// The L1 target type.
pub(super) fn l1_target_type(t: TargetType) -> cfn_target_group::TargetGroupTargetType {
    match t {
        TargetType::Ip => cfn_target_group::TargetGroupTargetType::Ip,
        TargetType::Instance => cfn_target_group::TargetGroupTargetType::Instance,
        TargetType::Alb => cfn_target_group::TargetGroupTargetType::Alb,
    }
}

/// The deregistration delay attribute, refused outside what ELB accepts (0 to 3600 s).
pub(super) fn deregistration_delay(scope: &Scope, d: Duration) -> Result<cfn_target_group::TargetGroupAttribute> {
    if d.to_seconds() > 3600 {
        return Err(scope.error("deregistration delay must be 0 to 3600 seconds"));
    }
    Ok(cfn_target_group::TargetGroupAttribute::new().key("deregistration_delay.timeout_seconds").value(d.to_seconds().to_string()))
}
