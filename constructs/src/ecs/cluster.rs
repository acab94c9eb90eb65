//! `Cluster`.

use ironcdk_synth::{AsScope, Result, Scope, Val};

use super::generated::*;
use crate::ec2::Vpc;

/// Options of a [`Cluster`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct ClusterProps {
    /// The VPC its services run in.
    pub vpc: Option<Vpc>,
    /// Physical name.
    pub cluster_name: Option<String>,
    /// CloudWatch Container Insights.
    pub container_insights: bool,
}

impl ClusterProps {
    /// Defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the VPC.
    pub fn vpc(mut self, vpc: &Vpc) -> Self {
        self.vpc = Some(vpc.clone());
        self
    }
    setters! {
        /// Sets the physical name.
        into cluster_name: String;
        /// Turns Container Insights on.
        set container_insights: bool;
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
        if props.container_insights {
            p = p.cluster_settings(vec![cfn_cluster::ClusterSettings::new().name("containerInsights").value("enabled")]);
        }
        let resource = CfnCluster::new(&scope, "Resource", p)?;
        Ok(Cluster { scope, resource, vpc: props.vpc })
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
