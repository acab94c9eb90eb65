//! `nested-stack`: a nested stack (`AWS::CloudFormation::Stack`) whose template is not among
//! the inputs (a `TemplateURL` only): what it creates is not checked or priced. Nested stacks
//! whose template the assembly holds (CDK's `NestedStack`) are read as stacks of their own.

use ironcdk_template::{Finding, Severity};

rule! {
    /// `nested-stack`: a nested stack whose template is not among the inputs.
    NestedStack = "nested-stack", |_net, app, out| {
        for s in &app.stacks {
            for e in s.resources().filter(|e| e.type_name == "AWS::CloudFormation::Stack") {
                let read = app.stack(&format!("{}/{}", s.name, e.logical_id)).is_some();
                if !read {
                    let mut f = Finding::new(ID, Severity::Info, "cannot verify: the nested stack's template is not among the inputs (a TemplateURL only), so what it creates is not checked or priced", "give the nested template too (CDK's cdk.out holds it as an asset)")
                        .stack(&s.name)
                        .logical_id(&e.logical_id);
                    if !e.path.is_empty() {
                        f = f.path(&e.path);
                    }
                    out.push(f);
                }
            }
        }
    }
}
