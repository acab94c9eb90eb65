//! `FargateService`, its load balancer attachment and auto scaling.

use std::cell::RefCell;
use std::rc::Rc;

use ironcdk_synth::{fns, AsScope, Pseudo, Result, Scope, Val};

use super::cluster::{CapacityProviderStrategy, Cluster};
use super::generated::cfn_service as l1;
use super::generated::*;
use super::task_definition::FargateTaskDefinition;
use crate::applicationautoscaling::cfn_scalable_target::{ScalableTargetScalableDimension, ScalableTargetServiceNamespace};
use crate::applicationautoscaling::cfn_scaling_policy::{
    PredefinedMetricSpecification, PredefinedMetricSpecificationPredefinedMetricType as Metric, ScalingPolicyPolicyType,
    TargetTrackingScalingPolicyConfiguration,
};
use crate::applicationautoscaling::{CfnScalableTarget, CfnScalableTargetProps, CfnScalingPolicy, CfnScalingPolicyProps};
use crate::ec2::{Connections, Port, SecurityGroup, SecurityGroupProps, SubnetSelection};
use crate::elasticloadbalancingv2::{ApplicationTargetGroup, NetworkTargetGroup, TargetGroupRef};

/// Options of a [`FargateService`].
#[derive(Clone)]
#[non_exhaustive]
pub struct FargateServiceProps {
    /// The cluster (must have a VPC).
    pub cluster: Cluster,
    /// The task definition.
    pub task_definition: FargateTaskDefinition,
    /// Physical name.
    pub service_name: Option<String>,
    /// Tasks to keep running. Unset, the template leaves it out (as CDK does for new projects),
    /// and ECS starts one task when it creates the service.
    pub desired_count: Option<u32>,
    /// Subnets (default: CDK's private default; public when `assign_public_ip`).
    pub vpc_subnets: Option<SubnetSelection>,
    /// Give tasks public IPs (default false).
    pub assign_public_ip: bool,
    /// Security groups (default: one created, allowing all outbound).
    pub security_groups: Vec<SecurityGroup>,
    /// Seconds to ignore load balancer health checks after a task starts (default 60 with a
    /// load balancer).
    pub health_check_grace_period_seconds: Option<u32>,
    /// Minimum healthy percent during deployments (default 50, as CDK v2).
    pub min_healthy_percent: Option<u32>,
    /// Maximum percent during deployments (default 200).
    pub max_healthy_percent: Option<u32>,
    /// Capacity providers to run on (default none: launch type `FARGATE`). The cluster must
    /// have them ([`Cluster::enable_fargate_capacity_providers`]).
    pub capacity_provider_strategies: Vec<CapacityProviderStrategy>,
    /// The deployment circuit breaker: a deployment whose tasks keep failing stops (and rolls
    /// back when asked) instead of retrying for hours (default off, as on ECS).
    pub circuit_breaker: Option<DeploymentCircuitBreaker>,
    /// `ecs exec` into the tasks (the task role gets the SSM channels it needs).
    pub enable_execute_command: Option<bool>,
}

/// The deployment circuit breaker (CDK's `DeploymentCircuitBreaker`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeploymentCircuitBreaker {
    /// Roll back to the last deployment that completed (default false).
    pub rollback: bool,
}

impl DeploymentCircuitBreaker {
    /// A breaker that stops failing deployments and, with `rollback`, rolls them back.
    pub fn new(rollback: bool) -> Self {
        DeploymentCircuitBreaker { rollback }
    }
}

impl FargateServiceProps {
    /// A service of one task.
    pub fn new(cluster: &Cluster, task_definition: &FargateTaskDefinition) -> Self {
        FargateServiceProps {
            cluster: cluster.clone(),
            task_definition: task_definition.clone(),
            service_name: None,
            desired_count: None,
            vpc_subnets: None,
            assign_public_ip: false,
            security_groups: Vec::new(),
            health_check_grace_period_seconds: None,
            min_healthy_percent: None,
            max_healthy_percent: None,
            capacity_provider_strategies: Vec::new(),
            circuit_breaker: None,
            enable_execute_command: None,
        }
    }
    setters! {
        /// Sets the physical name.
        into service_name: String;
        /// Sets the desired count.
        some desired_count: u32;
        /// Selects subnets.
        some vpc_subnets: SubnetSelection;
        /// Gives tasks public IPs.
        set assign_public_ip: bool;
    }
    /// Uses one security group.
    pub fn security_group(mut self, sg: &SecurityGroup) -> Self {
        self.security_groups = vec![sg.clone()];
        self
    }
    setters! {
        /// Uses these security groups.
        set security_groups: Vec<SecurityGroup>;
        /// Sets the health check grace period.
        some health_check_grace_period_seconds: u32;
        /// Sets the minimum healthy percent during deployments.
        some min_healthy_percent: u32;
        /// Sets the maximum percent during deployments.
        some max_healthy_percent: u32;
        /// Runs the tasks on these capacity providers instead of the `FARGATE` launch type.
        set capacity_provider_strategies: Vec<CapacityProviderStrategy>;
        /// Sets the deployment circuit breaker.
        some circuit_breaker: DeploymentCircuitBreaker;
        /// Allows `ecs exec` into the tasks, or says it is off.
        some enable_execute_command: bool;
    }
}

/// A load balancer a service registers its tasks with.
#[derive(Clone, Debug, PartialEq)]
struct LoadBalancerAttachment {
    /// Target group path.
    target_group: String,
    /// `Ref` of the target group.
    target_group_arn: Val<String>,
    /// Container name.
    container_name: String,
    /// Container port.
    container_port: u16,
}

/// What a service's template entry is made from after it is created: the load balancers it
/// registers with. (The checks and the cost report read the template.)
#[derive(Debug, Default)]
struct ServiceModel {
    load_balancers: RefCell<Vec<LoadBalancerAttachment>>,
}

/// A target for a load balancer: a container and port of a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadBalancerTarget {
    /// Container name.
    pub container_name: String,
    /// Container port.
    pub container_port: u16,
}

/// A Fargate service.
#[derive(Clone)]
pub struct FargateService {
    scope: Scope,
    resource: CfnService,
    model: Rc<ServiceModel>,
    cluster: Cluster,
    task_definition: FargateTaskDefinition,
    security_groups: Vec<SecurityGroup>,
    vpc: crate::ec2::Vpc,
}

impl AsScope for FargateService {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}

impl FargateService {
    /// Creates the service.
    pub fn new(scope: &impl AsScope, id: &str, props: FargateServiceProps) -> Result<Self> {
        let scope = scope.scope().child(id, "ironcdk.ecs.FargateService")?;
        let Some(vpc) = props.cluster.vpc().or_else(|| props.security_groups.iter().find_map(SecurityGroup::vpc)).cloned() else {
            return Err(scope.error("the cluster has no VPC; create it with ClusterProps::new().vpc(&vpc)"));
        };
        let max = props.max_healthy_percent.unwrap_or(200);
        let min = props.min_healthy_percent.unwrap_or(50);
        if min > max {
            return Err(scope.error(format!(
                "min_healthy_percent {min} is above max_healthy_percent {max}; ECS needs minimum <= maximum"
            )));
        }
        if let Some(n) = &props.service_name {
            if n.is_empty() || n.len() > 255 || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(scope.error(format!("service name '{n}' must be 1 to 255 letters, digits, hyphens and underscores")));
            }
        }
        let selection = props.vpc_subnets.clone().unwrap_or_else(|| {
            if props.assign_public_ip {
                SubnetSelection::of_type(crate::ec2::SubnetType::Public)
            } else {
                SubnetSelection::default()
            }
        });
        let strategies = props.capacity_provider_strategies.clone();
        if !strategies.is_empty() {
            super::cluster::check_strategy(&scope, &strategies, &props.cluster.capacity_providers())?;
        }
        let subnet_ids: Vec<Val<String>> = vpc.selected(&scope, &selection)?.into_iter().map(|s| s.subnet_id.clone()).collect();
        let security_groups = if props.security_groups.is_empty() {
            vec![SecurityGroup::new(&scope, "SecurityGroup", SecurityGroupProps::new(&vpc))?]
        } else {
            props.security_groups.clone()
        };
        let model = Rc::new(ServiceModel::default());
        let (m, cluster_name, td) = (model.clone(), props.cluster.cluster_name(), props.task_definition.task_definition_arn());
        let sg_ids: Vec<Val<String>> = security_groups.iter().map(SecurityGroup::security_group_id).collect();
        // What the properties' closure reads of the props (not a copy of them all: the
        // cluster, task definition and groups they hold are not read there).
        struct Settings {
            min_healthy_percent: Option<u32>,
            max_healthy_percent: Option<u32>,
            circuit_breaker: Option<DeploymentCircuitBreaker>,
            assign_public_ip: bool,
            desired_count: Option<u32>,
            service_name: Option<String>,
            enable_execute_command: Option<bool>,
            health_check_grace_period_seconds: Option<u32>,
        }
        let p = Settings {
            min_healthy_percent: props.min_healthy_percent,
            max_healthy_percent: props.max_healthy_percent,
            circuit_breaker: props.circuit_breaker,
            assign_public_ip: props.assign_public_ip,
            desired_count: props.desired_count,
            service_name: props.service_name.clone(),
            enable_execute_command: props.enable_execute_command,
            health_check_grace_period_seconds: props.health_check_grace_period_seconds,
        };
        // CDK's construct id for the service's L1 child, so ported stacks keep the logical ID.
        let resource = CfnService::new_lazy(&scope, "Service", move || {
            let lbs = m.load_balancers.borrow();
            let min = p.min_healthy_percent.unwrap_or(50);
            let mut deployment = l1::DeploymentConfiguration::new().maximum_percent(p.max_healthy_percent.unwrap_or(200)).minimum_healthy_percent(min);
            if let Some(b) = p.circuit_breaker {
                deployment = deployment.deployment_circuit_breaker(l1::DeploymentCircuitBreaker::new(true, b.rollback));
            }
            let mut s = CfnServiceProps::new()
                .cluster(cluster_name.clone())
                .deployment_configuration(deployment)
                .enable_ecs_managed_tags(false)
                .network_configuration(l1::NetworkConfiguration::new().awsvpc_configuration(
                    l1::AwsVpcConfiguration::new()
                        .subnets(subnet_ids.clone())
                        .assign_public_ip(if p.assign_public_ip { l1::AwsVpcConfigurationAssignPublicIp::Enabled } else { l1::AwsVpcConfigurationAssignPublicIp::Disabled })
                        .security_groups(sg_ids.clone()),
                ))
                .task_definition(td.clone());
            if let Some(n) = p.desired_count {
                s = s.desired_count(n);
            }
            if let Some(n) = &p.service_name {
                s = s.service_name(n.clone());
            }
            if let Some(b) = p.enable_execute_command {
                s = s.enable_execute_command(b);
            }
            // As CDK: a strategy replaces the launch type.
            s = if strategies.is_empty() {
                s.launch_type(l1::ServiceLaunchType::Fargate)
            } else {
                s.capacity_provider_strategy(
                    strategies
                        .iter()
                        .map(|c| {
                            let mut item = l1::CapacityProviderStrategyItem::new().capacity_provider(c.capacity_provider.as_str());
                            if let Some(b) = c.base {
                                item = item.base(i64::from(b));
                            }
                            if let Some(w) = c.weight {
                                item = item.weight(i64::from(w));
                            }
                            item
                        })
                        .collect::<Vec<_>>(),
                )
            };
            // As CDK: the grace period when given, else 60 seconds with a load balancer; the
            // load balancer list always, empty included.
            let grace = p.health_check_grace_period_seconds.or(if lbs.is_empty() { None } else { Some(60) });
            if let Some(g) = grace {
                s = s.health_check_grace_period_seconds(g);
            }
            s = s.load_balancers(
                lbs.iter()
                    .map(|a| l1::LoadBalancer::new().container_name(a.container_name.clone()).container_port(a.container_port).target_group_arn(a.target_group_arn.clone()))
                    .collect::<Vec<_>>(),
            );
            s
        })?;
        // As CDK: `ecs exec` opens SSM channels from the tasks.
        if props.enable_execute_command == Some(true) {
            props.task_definition.task_role().add_to_policy(
                crate::iam::PolicyStatement::allow()
                    .actions(["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"])
                    .resource("*"),
            )?;
        }
        // As CDK: everything of the service (its security group, scaling) waits for its task
        // role and the role's policy.
        scope.add_dependency(props.task_definition.task_role())?;
        // Not in CDK, which leaves it to chance: a service using capacity providers waits for
        // their association with the cluster, or creating it can fail on a fresh cluster.
        if let (false, Some(association)) = (props.capacity_provider_strategies.is_empty(), props.cluster.capacity_provider_associations()) {
            resource.add_depends_on(&association)?;
        }
        Ok(FargateService {
            scope,
            resource,
            model,
            cluster: props.cluster,
            task_definition: props.task_definition,
            security_groups,
            vpc,
        })
    }

    /// `Fn::GetAtt Name`.
    pub fn service_name(&self) -> Val<String> {
        self.resource.attr_name()
    }

    /// The service's security groups.
    pub fn connections(&self) -> Connections {
        Connections { groups: self.security_groups.clone() }
    }

    /// A container and port of this service as a load balancer target; fails if the task
    /// definition has no such container or port mapping.
    pub fn load_balancer_target(&self, container_name: &str, container_port: u16) -> Result<LoadBalancerTarget> {
        let containers = self.task_definition.model().containers.borrow();
        let Some(c) = containers.iter().find(|c| c.name == container_name) else {
            let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
            return Err(self.scope.error(format!("no container named '{container_name}' in the task definition; it has {}", names.join(", "))));
        };
        if !c.port_mappings.iter().any(|p| p.container_port == container_port) {
            return Err(self.scope.error(format!("container '{container_name}' has no port mapping for {container_port}; add it with add_port_mappings")));
        }
        Ok(LoadBalancerTarget { container_name: container_name.to_string(), container_port })
    }

    /// Registers the service's default container (the first essential one with a port
    /// mapping) with a network target group, and makes the service wait for the group's
    /// listeners (ECS rejects a target group not yet attached to a load balancer).
    pub fn attach_to_network_target_group(&self, target_group: &NetworkTargetGroup) -> Result<LoadBalancerTarget> {
        self.attach(&target_group.reference())
    }

    /// Registers the service's default container with an application target group (CDK's
    /// `attachToApplicationTargetGroup`): the service waits for the listener rules forwarding
    /// to the group, and its security groups admit the container port from the load
    /// balancers' security groups ("Load balancer to target", as CDK).
    pub fn attach_to_application_target_group(&self, target_group: &ApplicationTargetGroup) -> Result<LoadBalancerTarget> {
        self.attach(&target_group.reference())
    }

    fn attach(&self, target_group: &TargetGroupRef) -> Result<LoadBalancerTarget> {
        let target = {
            let containers = self.task_definition.model().containers.borrow();
            let c = containers.iter().find(|c| c.essential && !c.port_mappings.is_empty()).ok_or_else(|| {
                self.scope.error("the task definition has no essential container with a port mapping to register; add a port mapping first")
            })?;
            LoadBalancerTarget { container_name: c.name.clone(), container_port: c.port_mappings.first().map_or(0, |p| p.container_port) }
        };
        self.register(target_group, &target)?;
        Ok(target)
    }

    /// Registers a specific container and port with a target group (network or application:
    /// pass `tg.reference()`).
    pub fn register_load_balancer_target(&self, target_group: &TargetGroupRef, target: &LoadBalancerTarget) -> Result<()> {
        self.load_balancer_target(&target.container_name, target.container_port)?;
        self.register(target_group, target)
    }

    fn register(&self, tg: &TargetGroupRef, target: &LoadBalancerTarget) -> Result<()> {
        /// Target groups ECS takes per service.
        const MAX_TARGET_GROUPS: usize = 5;
        match tg.target_type() {
            Some(crate::elasticloadbalancingv2::TargetType::Ip) => {}
            Some(other) => {
                return Err(self.scope.error(format!(
                    "target group {} has target type {}, but Fargate tasks register by IP; create it with target_type(TargetType::Ip)",
                    tg.path,
                    other.as_str()
                )))
            }
            None => {
                return Err(self.scope.error(format!(
                    "target group {} has no target type, so CloudFormation makes it instance, which Fargate tasks cannot register with (ECS refuses the service at deploy); add the service with add_target, which sets Ip as CDK's addTarget does, or create the group with target_type(TargetType::Ip)",
                    tg.path
                )))
            }
        }
        {
            let attached = self.model.load_balancers.borrow();
            if attached.len() >= MAX_TARGET_GROUPS {
                return Err(self.scope.error(format!("the service is registered with {MAX_TARGET_GROUPS} target groups already, ECS's limit per service")));
            }
            if attached.iter().any(|a| a.target_group == tg.path && a.container_name == target.container_name && a.container_port == target.container_port) {
                return Err(self.scope.error(format!("the service registers {}:{} with target group {} twice", target.container_name, target.container_port, tg.path)));
            }
        }
        crate::small::push(&mut self.model.load_balancers.borrow_mut(), LoadBalancerAttachment {
            target_group: tg.path.clone(),
            target_group_arn: tg.target_group_arn.clone(),
            container_name: target.container_name.clone(),
            container_port: target.container_port,
        });
        // The service must be created after every listener forwarding to the group, including
        // listeners added later; load balancers with security groups are let in.
        tg.register(&self.connections(), Port::tcp(target.container_port), self.resource.resource())?;
        let (tg2, mine) = (tg.clone(), self.vpc.clone());
        self.scope.add_validation(move || {
            let mut problems = Vec::new();
            if tg2.listeners().is_empty() {
                problems.push(format!(
                    "registers with target group {} which no listener forwards to; ECS would fail with 'target group does not have an associated load balancer': add a listener with default_target_groups, or a listener rule",
                    tg2.path
                ));
            }
            // Targets in another VPC are reached only across a peering connection.
            let (a, b) = (mine.model(), tg2.vpc.model());
            if a.path != b.path && a.peering_with(&b.path).is_none() {
                problems.push(format!(
                    "runs in VPC {} but registers with target group {} of VPC {}, and the two are not peered, so the load balancer cannot reach the tasks; peer them (ec2::VpcPeeringConnection) and route both ways",
                    a.path, tg2.path, b.path
                ));
            }
            problems
        });
        Ok(())
    }

    /// Auto scaling of the task count between `min` and `max` (CDK's `autoScaleTaskCount`).
    pub fn auto_scale_task_count(&self, min_capacity: u32, max_capacity: u32) -> Result<ScalableTaskCount> {
        if min_capacity > max_capacity {
            return Err(self.scope.error(format!("auto scaling min_capacity {min_capacity} is above max_capacity {max_capacity}")));
        }
        if self.scope.find_child("TaskCount").is_some() {
            return Err(self.scope.error("auto scaling is already configured for this service"));
        }
        let tc = self.scope.child("TaskCount", "ironcdk.ecs.ScalableTaskCount")?;
        let resource_id = fns::join("", ["service/".into(), self.cluster.cluster_name(), "/".into(), self.service_name()]);
        // As CDK: the partition literal in a stack with a region (the writer merges it into
        // `arn:aws:iam::`), `AWS::Partition` otherwise.
        let role = fns::join(
            "",
            [
                "arn:".into(),
                self.scope.partition_value(),
                ":iam::".into(),
                Pseudo::AccountId.val(),
                ":role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService".into(),
            ],
        );
        // TaskCount/Target/Resource, as CDK's ScalableTaskCount > ScalableTarget > L1.
        let target_scope = tc.child("Target", "ironcdk.applicationautoscaling.ScalableTarget")?;
        let target = CfnScalableTarget::new(
            &target_scope,
            "Resource",
            CfnScalableTargetProps::new(max_capacity, min_capacity, resource_id, ScalableTargetScalableDimension::EcsServiceDesiredCount, ScalableTargetServiceNamespace::Ecs)
                .role_arn(role),
        )?;
        Ok(ScalableTaskCount { target, target_scope })
    }
}

/// The scalable task count of a service.
#[derive(Clone)]
pub struct ScalableTaskCount {
    target: CfnScalableTarget,
    /// The L2 scalable target (`TaskCount/Target`): policies go under it.
    target_scope: Scope,
}

/// Options of a CPU target-tracking policy.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct CpuUtilizationScalingProps {
    /// Average CPU utilization to keep, in percent.
    pub target_utilization_percent: f64,
    /// Seconds between scale-in activities.
    pub scale_in_cooldown_seconds: Option<u32>,
    /// Seconds between scale-out activities.
    pub scale_out_cooldown_seconds: Option<u32>,
}

impl CpuUtilizationScalingProps {
    /// Keep average CPU at `percent`.
    pub fn new(percent: f64) -> Self {
        CpuUtilizationScalingProps { target_utilization_percent: percent, scale_in_cooldown_seconds: None, scale_out_cooldown_seconds: None }
    }
}

impl ScalableTaskCount {
    /// Target tracking on average CPU (CDK's `scaleOnCpuUtilization`).
    pub fn scale_on_cpu_utilization(&self, id: &str, props: CpuUtilizationScalingProps) -> Result<()> {
        self.track(id, Metric::EcsServiceAverageCpuUtilization, props)
    }

    /// Target tracking on average memory.
    pub fn scale_on_memory_utilization(&self, id: &str, props: CpuUtilizationScalingProps) -> Result<()> {
        self.track(id, Metric::EcsServiceAverageMemoryUtilization, props)
    }

    fn track(&self, id: &str, metric: Metric, props: CpuUtilizationScalingProps) -> Result<()> {
        let scope = self.target_scope.child(id, "ironcdk.applicationautoscaling.TargetTrackingScalingPolicy")?;
        let pct = props.target_utilization_percent;
        if !(pct > 0.0 && pct <= 100.0) {
            return Err(scope.error(format!("target utilization {pct}% must be above 0 and at most 100")));
        }
        let mut conf = TargetTrackingScalingPolicyConfiguration::new(pct).predefined_metric_specification(PredefinedMetricSpecification::new(metric));
        if let Some(s) = props.scale_in_cooldown_seconds {
            conf = conf.scale_in_cooldown(s);
        }
        if let Some(s) = props.scale_out_cooldown_seconds {
            conf = conf.scale_out_cooldown(s);
        }
        CfnScalingPolicy::new(
            &scope,
            "Resource",
            CfnScalingPolicyProps::new(scope.unique_id(), ScalingPolicyPolicyType::TargetTrackingScaling)
                .scaling_target_id(self.target.ref_())
                .target_tracking_scaling_policy_configuration(conf),
        )?;
        Ok(())
    }
}

impl crate::elasticloadbalancingv2::ApplicationLoadBalancerTarget for FargateService {
    fn application_target_type(&self) -> crate::elasticloadbalancingv2::TargetType {
        crate::elasticloadbalancingv2::TargetType::Ip
    }
    fn register_with_application_target_group(&self, target_group: &ApplicationTargetGroup) -> Result<()> {
        self.attach_to_application_target_group(target_group).map(|_| ())
    }
}
