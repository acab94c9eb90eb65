//! `Cluster`, with the Fargate capacity providers and capacity provider strategies.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{AsScope, Result, Scope, Val};

use super::generated::cfn_cluster_capacity_provider_associations as assoc;
use super::generated::*;
use crate::ec2::Vpc;

/// A capacity provider Fargate tasks run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CapacityProvider {
    /// On-demand Fargate.
    Fargate,
    /// Fargate Spot: spare capacity at a discount, which AWS may reclaim with two minutes'
    /// notice.
    FargateSpot,
}

impl CapacityProvider {
    /// The name ECS uses.
    pub fn as_str(self) -> &'static str {
        match self {
            CapacityProvider::Fargate => "FARGATE",
            CapacityProvider::FargateSpot => "FARGATE_SPOT",
        }
    }
}

/// How many of a service's tasks go to a capacity provider (CDK's `CapacityProviderStrategy`):
/// `base` tasks first, the rest shared by `weight`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CapacityProviderStrategy {
    /// The provider.
    pub capacity_provider: CapacityProvider,
    /// Relative share of the tasks beyond the bases (0 to 1,000; default 0, as ECS).
    pub weight: Option<u32>,
    /// Tasks placed here first (0 to 100,000; one provider of a strategy at most).
    pub base: Option<u32>,
}

impl CapacityProviderStrategy {
    /// A provider with no weight or base yet.
    pub fn new(capacity_provider: CapacityProvider) -> Self {
        CapacityProviderStrategy { capacity_provider, weight: None, base: None }
    }
    setters! {
        /// Sets the weight.
        some weight: u32;
        /// Sets the base.
        some base: u32;
    }
}

/// Checks a strategy against what ECS refuses, with `enabled` the cluster's providers.
pub(crate) fn check_strategy(scope: &Scope, strategy: &[CapacityProviderStrategy], enabled: &[CapacityProvider]) -> Result<()> {
    if strategy.is_empty() {
        return Err(scope.error("a capacity provider strategy needs at least one provider"));
    }
    for (i, s) in strategy.iter().enumerate() {
        let name = s.capacity_provider.as_str();
        if strategy.iter().take(i).any(|o| o.capacity_provider == s.capacity_provider) {
            return Err(scope.error(format!("capacity provider {name} appears twice in the strategy; give it once")));
        }
        if !enabled.contains(&s.capacity_provider) {
            return Err(scope.error(format!(
                "capacity provider {name} is not associated with the cluster, so ECS would refuse the service; call enable_fargate_capacity_providers() on the cluster (or ClusterProps::enable_fargate_capacity_providers(true))"
            )));
        }
        if s.weight.is_some_and(|w| w > 1000) {
            return Err(scope.error(format!("capacity provider {name}: weight must be 0 to 1,000")));
        }
        if s.base.is_some_and(|b| b > 100_000) {
            return Err(scope.error(format!("capacity provider {name}: base must be 0 to 100,000")));
        }
    }
    if strategy.iter().filter(|s| s.base.unwrap_or(0) > 0).count() > 1 {
        return Err(scope.error("only one capacity provider of a strategy can have a base above 0"));
    }
    if !strategy.iter().any(|s| s.weight.unwrap_or(0) > 0) {
        return Err(scope.error("at least one capacity provider of the strategy needs a weight above 0, or ECS can place no task; set weight(1)"));
    }
    Ok(())
}

fn render_strategy(strategy: &[CapacityProviderStrategy]) -> Vec<assoc::CapacityProviderStrategy> {
    strategy
        .iter()
        .map(|s| {
            let mut item = assoc::CapacityProviderStrategy::new(s.capacity_provider.as_str());
            if let Some(b) = s.base {
                item = item.base(i64::from(b));
            }
            if let Some(w) = s.weight {
                item = item.weight(i64::from(w));
            }
            item
        })
        .collect()
}

/// The cluster's capacity providers, kept until the association renders.
#[derive(Debug, Default)]
struct Providers {
    names: RefCell<Vec<CapacityProvider>>,
    default_strategy: RefCell<Vec<CapacityProviderStrategy>>,
    associations: RefCell<Option<Scope>>,
}

/// Options of a [`Cluster`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct ClusterProps {
    /// The VPC its services run in.
    pub vpc: Option<Vpc>,
    /// Physical name.
    pub cluster_name: Option<String>,
    /// CloudWatch Container Insights: on, explicitly off (which overrides the account's
    /// default, as CDK writes it), or unset (the account's default applies).
    pub container_insights: Option<bool>,
    /// Associate the `FARGATE` and `FARGATE_SPOT` capacity providers (default false).
    pub enable_fargate_capacity_providers: bool,
}

impl ClusterProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    setters! {
        /// Sets the VPC.
        cloned vpc: Vpc;
        /// Sets the physical name.
        into cluster_name: String;
        /// Turns Container Insights on, or explicitly off.
        some container_insights: bool;
        /// Associates the Fargate capacity providers.
        set enable_fargate_capacity_providers: bool;
    }
}

/// An ECS cluster.
///
/// ```
/// use ironcdk_constructs::ecs::{Cluster, ClusterProps};
/// use ironcdk_synth::{App, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "Demo").unwrap();
/// Cluster::new(&stack, "Cluster", ClusterProps::new()).unwrap();
/// ```
#[derive(Clone)]
pub struct Cluster {
    scope: Scope,
    resource: CfnCluster,
    vpc: Option<Vpc>,
    providers: Rc<Providers>,
}

impl AsScope for Cluster {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl Cluster {
    /// Creates the cluster.
    pub fn new(scope: &impl AsScope, id: &str, props: ClusterProps) -> Result<Cluster> {
        let scope = scope.scope().child(id, "ironcdk.ecs.Cluster")?;
        let mut p = CfnClusterProps::new();
        if let Some(n) = &props.cluster_name {
            super::task_definition::check_ecs_name(&scope, "cluster name", n)?;
            p = p.cluster_name(n.clone());
        }
        if let Some(on) = props.container_insights {
            p = p.cluster_settings(vec![cfn_cluster::ClusterSettings::new().name("containerInsights").value(if on { "enabled" } else { "disabled" })]);
        }
        let resource = CfnCluster::new(&scope, "Resource", p)?;
        let cluster = Cluster { scope, resource, vpc: props.vpc, providers: Rc::new(Providers::default()) };
        if props.enable_fargate_capacity_providers {
            cluster.enable_fargate_capacity_providers()?;
        }
        Ok(cluster)
    }

    /// Associates the `FARGATE` and `FARGATE_SPOT` capacity providers with the cluster, as
    /// CDK does: an `AWS::ECS::ClusterCapacityProviderAssociations` named like the cluster,
    /// under it. Services can then use capacity provider strategies.
    pub fn enable_fargate_capacity_providers(&self) -> Result<()> {
        {
            let mut names = self.providers.names.borrow_mut();
            for p in [CapacityProvider::Fargate, CapacityProvider::FargateSpot] {
                if !names.contains(&p) {
                    names.push(p);
                }
            }
        }
        if self.providers.associations.borrow().is_some() {
            return Ok(());
        }
        let providers = self.providers.clone();
        let cluster = self.cluster_name();
        let id = self.scope.id();
        let resource = CfnClusterCapacityProviderAssociations::new_lazy(&self.scope, &id, move || {
            CfnClusterCapacityProviderAssociationsProps::new(cluster.clone(), render_strategy(&providers.default_strategy.borrow()))
                .capacity_providers(providers.names.borrow().iter().map(|p| p.as_str().to_string()).collect::<Vec<_>>())
        })?;
        *self.providers.associations.borrow_mut() = Some(resource.scope());
        Ok(())
    }

    /// Sets the strategy of tasks started with no launch type or strategy of their own
    /// (CDK's `addDefaultCapacityProviderStrategy`); once per cluster.
    pub fn add_default_capacity_provider_strategy(&self, strategy: Vec<CapacityProviderStrategy>) -> Result<()> {
        if !self.providers.default_strategy.borrow().is_empty() {
            return Err(self.scope.error("the cluster's default capacity provider strategy is already set"));
        }
        check_strategy(&self.scope, &strategy, &self.capacity_providers())?;
        *self.providers.default_strategy.borrow_mut() = strategy;
        Ok(())
    }

    /// The capacity providers associated with the cluster.
    pub fn capacity_providers(&self) -> Vec<CapacityProvider> {
        self.providers.names.borrow().clone()
    }

    /// The capacity provider association, once there is one: services using a strategy wait
    /// for it, or ECS may see the providers not yet associated.
    pub fn capacity_provider_associations(&self) -> Option<Scope> {
        self.providers.associations.borrow().clone()
    }

    /// `Ref` (the name).
    pub fn cluster_name(&self) -> Val<String> {
        self.resource.ref_()
    }

    /// `Fn::GetAtt Arn`.
    pub fn cluster_arn(&self) -> Val<String> {
        self.resource.attr_arn()
    }

    /// The cluster's VPC, if it was given one.
    pub fn vpc(&self) -> Option<&Vpc> {
        self.vpc.as_ref()
    }
}
