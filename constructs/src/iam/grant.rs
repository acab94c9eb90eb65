//! What can be granted permissions (CDK's `IGrantable`), as data: the role whose default policy
//! takes the statements. A role is itself; a Lambda function is its execution role; a task
//! definition is its task role.

use super::Role;

/// Something permissions can be granted to.
pub trait Grantable {
    /// The role whose default policy takes the granted statements.
    fn grant_role(&self) -> &Role;
}

impl Grantable for Role {
    fn grant_role(&self) -> &Role {
        self
    }
}

impl Grantable for crate::lambda::Function {
    fn grant_role(&self) -> &Role {
        self.role()
    }
}

impl Grantable for crate::ecs::FargateTaskDefinition {
    fn grant_role(&self) -> &Role {
        self.task_role()
    }
}
