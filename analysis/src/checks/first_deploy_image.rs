//! `first-deploy-image`: a service whose image comes from a repository created in the same stack.

use ironcdk_template::Severity;

use super::Findings;
use crate::network::{Image, Workload, WorkloadKind};

rule! {
    /// `first-deploy-image`: a service whose image comes from a repository created in the same stack.
    FirstDeployImage = "first-deploy-image", |net, _app, out| {
        // On Fargate or EC2 alike: the repository is empty on the first deploy.
        for w in &net.workloads {
            first_deploy_image(w, &mut out);
    }
    }
}

fn first_deploy_image(w: &Workload, out: &mut Findings<'_>) {
    if w.kind != WorkloadKind::Service {
        return;
    }
    for c in &w.containers {
        if let Image::Ecr(Some(repo)) = &c.image {
            if repo.stack == w.key.stack {
                out.at(
                    &w.key,
                    ID,
                    Severity::Warning,
                    format!("container '{}' pulls from repository {}, created in the same stack: on the first deploy the repository is empty and the service waits for tasks that cannot start", c.name, out.name(repo)),
                    "deploy the first time with desired count 0 and push the image, or create and fill the repository in an earlier stack",
                );
            }
        }
    }
}
