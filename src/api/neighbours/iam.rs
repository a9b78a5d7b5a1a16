//! IAM, as far as the tutorial touches it: roles, attached AWS managed policies, instance profiles.
//!
//! Error codes and messages are IAM's own (`NoSuchEntity`, `EntityAlreadyExists`, `DeleteConflict`,
//! `LimitExceeded`, `MalformedPolicyDocument`, `ValidationError`, `InvalidInput`). Role and instance
//! profile names are unique without regard to case, as in IAM.
//!
//! The model exists for one pitfall of seed 002: a Managed Instances capacity provider whose instance
//! profile's role lacks `AmazonECSInstanceRolePolicyForManagedInstances` (for example because it
//! carries the legacy `AmazonEC2ContainerServiceforEC2Role`) launches instances on which daemons never
//! start. [`Iam::instance_role_check`] answers that question.

use crate::api::input::Members;
use crate::api::validate;
use crate::api::{ArnContext, AwsError};
use crate::support::json::json;
use crate::support::Boxed;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The policy the instance role of a Managed Instances capacity provider needs for daemons.
pub const MANAGED_INSTANCES_INSTANCE_POLICY: &str =
    "arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances";
/// The legacy EC2 container instance policy: enough for the classic agent, not for daemons.
pub const LEGACY_EC2_CONTAINER_POLICY: &str =
    "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";

/// AWS managed policies that can be attached (the ones the tutorial and ECS users reach for).
pub const AWS_MANAGED_POLICIES: &[&str] = &[
    MANAGED_INSTANCES_INSTANCE_POLICY,
    LEGACY_EC2_CONTAINER_POLICY,
    "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances",
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    "arn:aws:iam::aws:policy/AmazonECS_FullAccess",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
];

const MAX_POLICIES_PER_ROLE: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub name: String,
    pub path: String,
    pub id: String,
    pub arn: String,
    pub created_ms: u64,
    pub assume_role_policy: Value,
    pub description: Option<String>,
    /// Attached managed policy ARNs, in attachment order.
    pub attached_policies: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InstanceProfile {
    pub name: String,
    pub path: String,
    pub id: String,
    pub arn: String,
    pub created_ms: u64,
    /// An instance profile holds at most one role.
    pub role: Option<String>,
}

/// Whether an instance profile lets the ECS agent on a Managed Instance start daemon tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceRoleCheck {
    Ready,
    ProfileNotFound { profile: String },
    NoRole { profile: String },
    MissingPolicy { profile: String, role: String, has_legacy_policy: bool },
}

impl InstanceRoleCheck {
    pub fn is_ready(&self) -> bool {
        matches!(self, InstanceRoleCheck::Ready)
    }

    /// Why daemons cannot start, in words a user can act on; `None` when ready.
    // No response carries it yet (the instance simply stays without daemon tasks); its unit test
    // pins the wording for the day one does.
    #[allow(dead_code)]
    pub fn reason(&self) -> Option<String> {
        match self {
            InstanceRoleCheck::Ready => None,
            InstanceRoleCheck::ProfileNotFound { profile } => {
                Some(format!("Instance profile {profile} does not exist."))
            }
            InstanceRoleCheck::NoRole { profile } => {
                Some(format!("Instance profile {profile} has no role; the ECS agent cannot register."))
            }
            InstanceRoleCheck::MissingPolicy { profile, role, has_legacy_policy } => Some(format!(
                "The role {role} of instance profile {profile} lacks AmazonECSInstanceRolePolicyForManagedInstances{}; the ECS agent on Managed Instances cannot start daemon tasks.",
                if *has_legacy_policy { " (it has the legacy AmazonEC2ContainerServiceforEC2Role instead)" } else { "" }
            )),
        }
    }
}

/// The IAM state of the simulated account.
#[derive(Debug, Clone, Default)]
pub struct Iam {
    /// Boxed: see [`crate::support::Boxed`].
    roles: BTreeMap<String, Boxed<Role>>,
    profiles: BTreeMap<String, Boxed<InstanceProfile>>,
    ids_issued: u64,
}

fn validation(message: String) -> AwsError {
    AwsError::new("ValidationError", message)
}

fn no_such_role(name: &str) -> AwsError {
    AwsError::new("NoSuchEntity", format!("The role with name {name} cannot be found."))
}

fn no_such_profile(name: &str) -> AwsError {
    AwsError::new("NoSuchEntity", format!("Instance Profile {name} cannot be found."))
}

/// The `RoleName` member, checked as IAM checks it (1 to 64 characters).
fn role_name<'a>(m: &Members<'a>) -> Result<&'a str, AwsError> {
    let name = m.req_str("RoleName")?;
    iam_name("roleName", name, 64)?;
    Ok(name)
}

/// The `InstanceProfileName` member, checked as IAM checks it (1 to 128 characters).
fn profile_name<'a>(m: &Members<'a>) -> Result<&'a str, AwsError> {
    let name = m.req_str("InstanceProfileName")?;
    iam_name("instanceProfileName", name, 128)?;
    Ok(name)
}

/// `[\w+=,.@-]+` of `min..=max` characters, as IAM names are constrained.
fn iam_name(member: &str, value: &str, max: usize) -> Result<(), AwsError> {
    let length = value.chars().count();
    if length == 0 || length > max {
        return Err(validation(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have length between 1 and {max}"
        )));
    }
    if !value.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)) {
        return Err(validation(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
        )));
    }
    Ok(())
}

fn iam_path(members: &Members<'_>) -> Result<String, AwsError> {
    let path = members.opt_str("Path")?.unwrap_or("/");
    if path.is_empty() || path.len() > 512 || !path.starts_with('/') || !path.ends_with('/') {
        return Err(validation(format!(
            "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters. Got '{path}'."
        )));
    }
    Ok(path.to_string())
}

impl Iam {
    /// A deterministic unique id: `prefix` + 17 characters of [A-Z0-9].
    fn next_id(&mut self, prefix: &str, name: &str) -> String {
        self.ids_issued += 1;
        let mut state =
            crate::support::hash::fnv1a(self.ids_issued.wrapping_mul(0x9E37_79B9_7F4A_7C15), name.as_bytes());
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut id = String::from(prefix);
        for _ in 0..17 {
            state ^= state >> 29;
            state = state.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            id.push(ALPHABET[(state >> 59) as usize] as char);
        }
        id
    }

    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.get(&name.to_ascii_lowercase()).map(|role| &**role)
    }

    pub fn instance_profile(&self, name: &str) -> Option<&InstanceProfile> {
        self.profiles.get(&name.to_ascii_lowercase()).map(|profile| &**profile)
    }

    /// Whether instances launched with instance profile `profile` can start daemon tasks.
    pub fn instance_role_check(&self, profile: &str) -> InstanceRoleCheck {
        let Some(instance_profile) = self.instance_profile(profile) else {
            return InstanceRoleCheck::ProfileNotFound { profile: profile.to_string() };
        };
        let Some(role_name) = &instance_profile.role else {
            return InstanceRoleCheck::NoRole { profile: instance_profile.name.clone() };
        };
        let Some(role) = self.role(role_name) else {
            return InstanceRoleCheck::NoRole { profile: instance_profile.name.clone() };
        };
        if role.attached_policies.iter().any(|policy| policy == MANAGED_INSTANCES_INSTANCE_POLICY) {
            return InstanceRoleCheck::Ready;
        }
        InstanceRoleCheck::MissingPolicy {
            profile: instance_profile.name.clone(),
            role: role.name.clone(),
            has_legacy_policy: role
                .attached_policies
                .iter()
                .any(|policy| policy == LEGACY_EC2_CONTAINER_POLICY),
        }
    }

    fn role_json(role: &Role) -> Value {
        let mut object = Map::new();
        object.insert("Path".into(), json!(role.path));
        object.insert("RoleName".into(), json!(role.name));
        object.insert("RoleId".into(), json!(role.id));
        object.insert("Arn".into(), json!(role.arn));
        object.insert("CreateDate".into(), crate::api::render::timestamp(role.created_ms));
        object.insert("AssumeRolePolicyDocument".into(), role.assume_role_policy.clone());
        if let Some(description) = &role.description {
            object.insert("Description".into(), json!(description));
        }
        object.insert("MaxSessionDuration".into(), json!(3600));
        Value::Object(object)
    }

    fn profile_json(&self, profile: &InstanceProfile) -> Value {
        let roles: Vec<Value> =
            profile.role.iter().filter_map(|name| self.role(name)).map(Self::role_json).collect();
        json!({
            "Path": profile.path,
            "InstanceProfileName": profile.name,
            "InstanceProfileId": profile.id,
            "Arn": profile.arn,
            "CreateDate": crate::api::render::timestamp(profile.created_ms),
            "Roles": roles,
        })
    }

    /// Runs IAM action `action`. Every check happens before any change.
    pub fn call(
        &mut self,
        arns: &ArnContext,
        action: &str,
        input: &Value,
        now_ms: u64,
    ) -> Result<Value, AwsError> {
        self.apply(arns, action, input, now_ms).map_err(|error| match error.error_type.as_str() {
            // IAM (a query-protocol service) reports missing or mistyped members as ValidationError.
            "InvalidParameterException" | "SerializationException" => {
                AwsError::new("ValidationError", error.message)
            }
            _ => error,
        })
    }

    fn apply(
        &mut self,
        arns: &ArnContext,
        action: &str,
        input: &Value,
        now_ms: u64,
    ) -> Result<Value, AwsError> {
        let m = Members::root(input)?;
        match action {
            "CreateRole" => {
                let name = role_name(&m)?;
                let path = iam_path(&m)?;
                let document = m.req_str("AssumeRolePolicyDocument")?;
                let parsed: Value = serde_json::from_str(document).map_err(|_| {
                    AwsError::new("MalformedPolicyDocument", "This policy contains invalid Json")
                })?;
                if parsed.get("Statement").is_none() {
                    return Err(AwsError::new("MalformedPolicyDocument", "Syntax errors in policy."));
                }
                let description = m.opt_str("Description")?;
                if description.is_some_and(|text| text.chars().count() > 1000) {
                    return Err(validation("Description must be at most 1000 characters long.".into()));
                }
                validate::tags_with(&m, "Tags", "Key", "Value")
                    .map_err(|error| AwsError::new("InvalidInput", error.message))?;
                if let Some(existing) = self.role(name) {
                    return Err(AwsError::new(
                        "EntityAlreadyExists",
                        format!("Role with name {} already exists.", existing.name),
                    ));
                }
                let role = Role {
                    name: name.to_string(),
                    arn: arns.iam_role(name, &path),
                    path,
                    id: self.next_id("AROA", name),
                    created_ms: now_ms,
                    assume_role_policy: parsed,
                    description: description.map(str::to_string),
                    attached_policies: Vec::new(),
                };
                let rendered = Self::role_json(&role);
                self.roles.insert(name.to_ascii_lowercase(), Box::new(role));
                Ok(json!({ "Role": rendered }))
            }
            "GetRole" => {
                let name = role_name(&m)?;
                let role = self.role(name).ok_or_else(|| no_such_role(name))?;
                Ok(json!({ "Role": Self::role_json(role) }))
            }
            "DeleteRole" => {
                let name = role_name(&m)?;
                let role = self.role(name).ok_or_else(|| no_such_role(name))?;
                if self.profiles.values().any(|profile| profile.role.as_deref() == Some(role.name.as_str())) {
                    return Err(AwsError::new(
                        "DeleteConflict",
                        "Cannot delete entity, must remove roles from instance profile first.",
                    ));
                }
                if !role.attached_policies.is_empty() {
                    return Err(AwsError::new(
                        "DeleteConflict",
                        "Cannot delete entity, must detach all policies first.",
                    ));
                }
                self.roles.remove(&name.to_ascii_lowercase());
                Ok(json!({}))
            }
            "AttachRolePolicy" | "DetachRolePolicy" => {
                let name = role_name(&m)?;
                let policy = m.req_str("PolicyArn")?;
                if !policy.starts_with("arn:aws:iam::") || !policy.contains(":policy/") {
                    return Err(AwsError::new("InvalidInput", format!("ARN {policy} is not valid.")));
                }
                let key = name.to_ascii_lowercase();
                let role = self.roles.get_mut(&key).ok_or_else(|| no_such_role(name))?;
                let attached = role.attached_policies.iter().position(|existing| existing == policy);
                if action == "AttachRolePolicy" {
                    if !AWS_MANAGED_POLICIES.contains(&policy) {
                        return Err(AwsError::new(
                            "NoSuchEntity",
                            format!("Policy {policy} does not exist or is not attachable."),
                        ));
                    }
                    if attached.is_none() {
                        if role.attached_policies.len() >= MAX_POLICIES_PER_ROLE {
                            return Err(AwsError::new(
                                "LimitExceeded",
                                format!("Cannot exceed quota for PoliciesPerRole: {MAX_POLICIES_PER_ROLE}"),
                            ));
                        }
                        role.attached_policies.push(policy.to_string());
                    }
                } else {
                    let Some(index) = attached else {
                        return Err(AwsError::new("NoSuchEntity", format!("Policy {policy} was not found.")));
                    };
                    role.attached_policies.remove(index);
                }
                Ok(json!({}))
            }
            "ListAttachedRolePolicies" => {
                let name = role_name(&m)?;
                let role = self.role(name).ok_or_else(|| no_such_role(name))?;
                let policies: Vec<Value> = role
                    .attached_policies
                    .iter()
                    .map(|arn| json!({"PolicyName": arn.rsplit('/').next().unwrap_or(arn), "PolicyArn": arn}))
                    .collect();
                Ok(json!({ "AttachedPolicies": policies, "IsTruncated": false }))
            }
            "CreateInstanceProfile" => {
                let name = profile_name(&m)?;
                let path = iam_path(&m)?;
                validate::tags_with(&m, "Tags", "Key", "Value")
                    .map_err(|error| AwsError::new("InvalidInput", error.message))?;
                if let Some(existing) = self.instance_profile(name) {
                    return Err(AwsError::new(
                        "EntityAlreadyExists",
                        format!("Instance Profile {} already exists.", existing.name),
                    ));
                }
                let profile = InstanceProfile {
                    name: name.to_string(),
                    arn: arns.iam_instance_profile(name, &path),
                    path,
                    id: self.next_id("AIPA", name),
                    created_ms: now_ms,
                    role: None,
                };
                let rendered = self.profile_json(&profile);
                self.profiles.insert(name.to_ascii_lowercase(), Box::new(profile));
                Ok(json!({ "InstanceProfile": rendered }))
            }
            "GetInstanceProfile" => {
                let name = profile_name(&m)?;
                let profile = self.instance_profile(name).ok_or_else(|| no_such_profile(name))?;
                Ok(json!({ "InstanceProfile": self.profile_json(profile) }))
            }
            "DeleteInstanceProfile" => {
                let name = profile_name(&m)?;
                let profile = self.instance_profile(name).ok_or_else(|| no_such_profile(name))?;
                if profile.role.is_some() {
                    return Err(AwsError::new(
                        "DeleteConflict",
                        "Cannot delete entity, must remove roles from instance profile first.",
                    ));
                }
                self.profiles.remove(&name.to_ascii_lowercase());
                Ok(json!({}))
            }
            "AddRoleToInstanceProfile" | "RemoveRoleFromInstanceProfile" => {
                let profile_name = profile_name(&m)?;
                let role_name = role_name(&m)?;
                let role = self.role(role_name).ok_or_else(|| no_such_role(role_name))?.name.clone();
                let profile = self
                    .profiles
                    .get_mut(&profile_name.to_ascii_lowercase())
                    .ok_or_else(|| no_such_profile(profile_name))?;
                if action == "AddRoleToInstanceProfile" {
                    if profile.role.is_some() {
                        return Err(AwsError::new(
                            "LimitExceeded",
                            "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
                        ));
                    }
                    profile.role = Some(role);
                } else {
                    if profile.role.as_deref() != Some(role.as_str()) {
                        return Err(no_such_role(role_name));
                    }
                    profile.role = None;
                }
                Ok(json!({}))
            }
            other => Err(AwsError::unknown_operation("iam", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

    fn call(iam: &mut Iam, action: &str, input: Value) -> Result<Value, AwsError> {
        iam.call(&ArnContext::default(), action, &input, 1_000)
    }

    #[test]
    fn the_tutorial_instance_profile_is_ready_only_with_the_managed_instances_policy() {
        let mut iam = Iam::default();
        let created = call(
            &mut iam,
            "CreateRole",
            json!({"RoleName": "ecsInstanceRole", "AssumeRolePolicyDocument": TRUST}),
        )
        .unwrap();
        assert_eq!(created["Role"]["Arn"], "arn:aws:iam::123456789012:role/ecsInstanceRole");
        assert!(created["Role"]["RoleId"].as_str().unwrap().starts_with("AROA"));
        call(&mut iam, "CreateInstanceProfile", json!({"InstanceProfileName": "ecsInstanceRole"})).unwrap();
        assert_eq!(
            iam.instance_role_check("ecsInstanceRole"),
            InstanceRoleCheck::NoRole { profile: "ecsInstanceRole".into() }
        );
        call(
            &mut iam,
            "AddRoleToInstanceProfile",
            json!({"InstanceProfileName": "ecsInstanceRole", "RoleName": "ecsInstanceRole"}),
        )
        .unwrap();
        call(
            &mut iam,
            "AttachRolePolicy",
            json!({"RoleName": "ecsInstanceRole", "PolicyArn": LEGACY_EC2_CONTAINER_POLICY}),
        )
        .unwrap();
        let check = iam.instance_role_check("ecsInstanceRole");
        assert!(!check.is_ready());
        assert!(check.reason().unwrap().contains("legacy AmazonEC2ContainerServiceforEC2Role"));
        call(
            &mut iam,
            "AttachRolePolicy",
            json!({"RoleName": "ecsInstanceRole", "PolicyArn": MANAGED_INSTANCES_INSTANCE_POLICY}),
        )
        .unwrap();
        assert!(iam.instance_role_check("ecsInstanceRole").is_ready());
    }

    #[test]
    fn errors_use_iam_codes_and_change_nothing() {
        let mut iam = Iam::default();
        let role = json!({"RoleName": "r", "AssumeRolePolicyDocument": TRUST});
        call(&mut iam, "CreateRole", role.clone()).unwrap();
        assert_eq!(
            call(&mut iam, "CreateRole", json!({"RoleName": "R", "AssumeRolePolicyDocument": TRUST}))
                .unwrap_err()
                .error_type,
            "EntityAlreadyExists"
        );
        assert_eq!(
            call(&mut iam, "CreateRole", json!({"RoleName": "x y", "AssumeRolePolicyDocument": TRUST}))
                .unwrap_err()
                .error_type,
            "ValidationError"
        );
        assert_eq!(
            call(&mut iam, "CreateRole", json!({"RoleName": "q", "AssumeRolePolicyDocument": "{"}))
                .unwrap_err()
                .error_type,
            "MalformedPolicyDocument"
        );
        assert_eq!(
            call(
                &mut iam,
                "AttachRolePolicy",
                json!({"RoleName": "nobody", "PolicyArn": MANAGED_INSTANCES_INSTANCE_POLICY})
            )
            .unwrap_err()
            .error_type,
            "NoSuchEntity"
        );
        assert_eq!(
            call(
                &mut iam,
                "AttachRolePolicy",
                json!({"RoleName": "r", "PolicyArn": "arn:aws:iam::aws:policy/Nope"})
            )
            .unwrap_err()
            .error_type,
            "NoSuchEntity"
        );
        assert_eq!(
            call(
                &mut iam,
                "DetachRolePolicy",
                json!({"RoleName": "r", "PolicyArn": MANAGED_INSTANCES_INSTANCE_POLICY})
            )
            .unwrap_err()
            .error_type,
            "NoSuchEntity"
        );
        call(
            &mut iam,
            "AttachRolePolicy",
            json!({"RoleName": "r", "PolicyArn": MANAGED_INSTANCES_INSTANCE_POLICY}),
        )
        .unwrap();
        assert_eq!(
            call(&mut iam, "DeleteRole", json!({"RoleName": "r"})).unwrap_err().error_type,
            "DeleteConflict"
        );
        call(&mut iam, "CreateInstanceProfile", json!({"InstanceProfileName": "p"})).unwrap();
        call(&mut iam, "AddRoleToInstanceProfile", json!({"InstanceProfileName": "p", "RoleName": "r"}))
            .unwrap();
        call(&mut iam, "CreateRole", json!({"RoleName": "r2", "AssumeRolePolicyDocument": TRUST})).unwrap();
        assert_eq!(
            call(&mut iam, "AddRoleToInstanceProfile", json!({"InstanceProfileName": "p", "RoleName": "r2"}))
                .unwrap_err()
                .error_type,
            "LimitExceeded"
        );
        assert_eq!(
            call(&mut iam, "DeleteInstanceProfile", json!({"InstanceProfileName": "p"}))
                .unwrap_err()
                .error_type,
            "DeleteConflict"
        );
        call(
            &mut iam,
            "DetachRolePolicy",
            json!({"RoleName": "r", "PolicyArn": MANAGED_INSTANCES_INSTANCE_POLICY}),
        )
        .unwrap();
        assert_eq!(
            call(&mut iam, "DeleteRole", json!({"RoleName": "r"})).unwrap_err().message,
            "Cannot delete entity, must remove roles from instance profile first."
        );
        call(&mut iam, "RemoveRoleFromInstanceProfile", json!({"InstanceProfileName": "p", "RoleName": "r"}))
            .unwrap();
        call(&mut iam, "DeleteInstanceProfile", json!({"InstanceProfileName": "p"})).unwrap();
        call(&mut iam, "DeleteRole", json!({"RoleName": "r"})).unwrap();
        assert_eq!(
            call(&mut iam, "GetRole", json!({"RoleName": "r"})).unwrap_err().error_type,
            "NoSuchEntity"
        );
    }
}
