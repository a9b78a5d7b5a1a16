//! The request shapes the CLI needs to turn command-line words into request JSON.
//!
//! The AWS CLI knows from the service model that `--tasks a b` is a list, `--desired-count 1` an
//! integer and `--enable-execute-command` a boolean flag. We keep the same knowledge for the
//! actions the simulator serves, written compactly as one line per operation:
//!
//! `name:type` pairs separated by blanks, `!` after a name marks it required. Types: `s` string,
//! `i` integer, `d` double, `b` boolean, `t` timestamp, `m` map of strings, `j` any JSON (members
//! the tutorial only ever passes as JSON, e.g. container definitions), `[T]` list of T,
//! `{members}` structure, `@name` a named structure from `NAMED`.

/// A member's type, as far as the CLI needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    String,
    Integer,
    Double,
    Boolean,
    Timestamp,
    /// Free-form JSON: shorthand values stay strings.
    Any,
    Map,
    List(Box<Shape>),
    Structure(Vec<Member>),
}

impl Shape {
    pub fn is_scalar(&self) -> bool {
        matches!(self, Shape::String | Shape::Integer | Shape::Double | Shape::Boolean | Shape::Timestamp)
    }
}

/// A named member of a structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: String,
    pub required: bool,
    pub shape: Shape,
}

/// An operation: service, AWS action name and its input members.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub service: &'static str,
    pub name: &'static str,
    pub input: Vec<Member>,
}

/// Structures used by several operations.
const NAMED: &[(&str, &str)] = &[
    ("tags", "[{key:s value:s}]"),
    ("iamtags", "[{Key!:s Value!:s}]"),
    ("strategy", "[{capacityProvider!:s weight:i base:i}]"),
    ("network", "{awsvpcConfiguration:{subnets!:[s] securityGroups:[s] assignPublicIp:s}}"),
    ("daemonDeployment", "{drainPercent:d alarms:{alarmNames:[s] enable:b} bakeTimeInMinutes:i}"),
    (
        "serviceDeployment",
        "{deploymentCircuitBreaker:{enable!:b rollback!:b} maximumPercent:i minimumHealthyPercent:i \
         alarms:{alarmNames!:[s] enable!:b rollback!:b} bakeTimeInMinutes:i strategy:s}",
    ),
    ("constraints", "[{type:s expression:s}]"),
    ("placement", "[{type:s field:s}]"),
    ("loadBalancers", "[{targetGroupArn:s loadBalancerName:s containerName:s containerPort:i}]"),
    ("dimensions", "[{Name!:s Value!:s}]"),
];

/// Every operation the console accepts: (service, action, members).
pub const OPERATIONS: &[(&str, &str, &str)] = &[
    // ECS: managed daemons (the twelve daemon actions of the ECS API reference).
    (
        "ecs",
        "RegisterDaemonTaskDefinition",
        "family!:s taskRoleArn:s executionRoleArn:s containerDefinitions!:j cpu:s memory:s volumes:j \
         tags:@tags pidMode:s ipcMode:s",
    ),
    ("ecs", "DescribeDaemonTaskDefinition", "daemonTaskDefinition!:s"),
    (
        "ecs",
        "ListDaemonTaskDefinitions",
        "familyPrefix:s family:s revision:s status:s sort:s nextToken:s maxResults:i",
    ),
    ("ecs", "DeleteDaemonTaskDefinition", "daemonTaskDefinition!:s"),
    (
        "ecs",
        "CreateDaemon",
        "daemonName!:s clusterArn:s daemonTaskDefinitionArn!:s capacityProviderArns!:[s] \
         deploymentConfiguration:@daemonDeployment tags:@tags propagateTags:s enableECSManagedTags:b \
         enableExecuteCommand:b clientToken:s critical:b",
    ),
    (
        "ecs",
        "UpdateDaemon",
        "daemonArn!:s daemonTaskDefinitionArn!:s capacityProviderArns!:[s] \
         deploymentConfiguration:@daemonDeployment propagateTags:s enableECSManagedTags:b \
         enableExecuteCommand:b critical:b",
    ),
    ("ecs", "DeleteDaemon", "daemonArn!:s"),
    ("ecs", "DescribeDaemon", "daemonArn!:s"),
    ("ecs", "ListDaemons", "clusterArn:s capacityProviderArns:[s] maxResults:i nextToken:s"),
    (
        "ecs",
        "ListDaemonDeployments",
        "daemonArn!:s status:[s] createdAt:{before:t after:t} maxResults:i nextToken:s",
    ),
    ("ecs", "DescribeDaemonDeployments", "daemonDeploymentArns!:[s]"),
    ("ecs", "DescribeDaemonRevisions", "daemonRevisionArns!:[s]"),
    // ECS: the actions around daemons that the tutorial and a user need.
    (
        "ecs",
        "CreateCluster",
        "clusterName:s tags:@tags settings:[{name:s value:s}] configuration:j capacityProviders:[s] \
         defaultCapacityProviderStrategy:@strategy serviceConnectDefaults:{namespace!:s}",
    ),
    ("ecs", "DeleteCluster", "cluster!:s"),
    ("ecs", "DescribeClusters", "clusters:[s] include:[s]"),
    ("ecs", "ListClusters", "nextToken:s maxResults:i"),
    (
        "ecs",
        "CreateCapacityProvider",
        "name!:s cluster:s autoScalingGroupProvider:j managedInstancesProvider:j tags:@tags",
    ),
    (
        "ecs",
        "UpdateCapacityProvider",
        "name!:s cluster:s autoScalingGroupProvider:j managedInstancesProvider:j",
    ),
    ("ecs", "DeleteCapacityProvider", "capacityProvider!:s cluster:s"),
    (
        "ecs",
        "DescribeCapacityProviders",
        "capacityProviders:[s] cluster:s include:[s] maxResults:i nextToken:s",
    ),
    (
        "ecs",
        "PutClusterCapacityProviders",
        "cluster!:s capacityProviders!:[s] defaultCapacityProviderStrategy!:@strategy",
    ),
    (
        "ecs",
        "RegisterTaskDefinition",
        "family!:s taskRoleArn:s executionRoleArn:s networkMode:s containerDefinitions!:j volumes:j \
         placementConstraints:j requiresCompatibilities:[s] cpu:s memory:s tags:@tags pidMode:s ipcMode:s \
         proxyConfiguration:j inferenceAccelerators:j ephemeralStorage:{sizeInGiB!:i} \
         runtimePlatform:{cpuArchitecture:s operatingSystemFamily:s} enableFaultInjection:b",
    ),
    ("ecs", "DeregisterTaskDefinition", "taskDefinition!:s"),
    ("ecs", "DescribeTaskDefinition", "taskDefinition!:s include:[s]"),
    (
        "ecs",
        "CreateService",
        "cluster:s serviceName!:s taskDefinition:s loadBalancers:@loadBalancers serviceRegistries:j \
         desiredCount:i clientToken:s launchType:s capacityProviderStrategy:@strategy platformVersion:s \
         role:s deploymentConfiguration:@serviceDeployment placementConstraints:@constraints \
         placementStrategy:@placement networkConfiguration:@network healthCheckGracePeriodSeconds:i \
         schedulingStrategy:s deploymentController:{type!:s} tags:@tags enableECSManagedTags:b \
         propagateTags:s enableExecuteCommand:b availabilityZoneRebalancing:s",
    ),
    (
        "ecs",
        "UpdateService",
        "cluster:s service!:s desiredCount:i taskDefinition:s capacityProviderStrategy:@strategy \
         deploymentConfiguration:@serviceDeployment networkConfiguration:@network \
         placementConstraints:@constraints placementStrategy:@placement platformVersion:s \
         forceNewDeployment:b healthCheckGracePeriodSeconds:i enableExecuteCommand:b \
         enableECSManagedTags:b loadBalancers:@loadBalancers propagateTags:s serviceRegistries:j \
         availabilityZoneRebalancing:s",
    ),
    ("ecs", "DeleteService", "cluster:s service!:s force:b"),
    ("ecs", "DescribeServices", "cluster:s services!:[s] include:[s]"),
    ("ecs", "ListServices", "cluster:s nextToken:s maxResults:i launchType:s schedulingStrategy:s"),
    (
        "ecs",
        "RunTask",
        "capacityProviderStrategy:@strategy cluster:s count:i enableECSManagedTags:b \
         enableExecuteCommand:b group:s launchType:s networkConfiguration:@network overrides:j \
         placementConstraints:@constraints placementStrategy:@placement platformVersion:s \
         propagateTags:s referenceId:s startedBy:s tags:@tags taskDefinition!:s clientToken:s",
    ),
    ("ecs", "StopTask", "cluster:s task!:s reason:s"),
    (
        "ecs",
        "ListTasks",
        "cluster:s containerInstance:s family:s nextToken:s maxResults:i startedBy:s serviceName:s \
         desiredStatus:s launchType:s daemonName:s",
    ),
    ("ecs", "DescribeTasks", "cluster:s tasks!:[s] include:[s]"),
    ("ecs", "ListContainerInstances", "cluster:s filter:s nextToken:s maxResults:i status:s"),
    ("ecs", "DescribeContainerInstances", "cluster:s containerInstances!:[s] include:[s]"),
    ("ecs", "UpdateContainerInstancesState", "cluster:s containerInstances!:[s] status!:s"),
    ("ecs", "TagResource", "resourceArn!:s tags!:@tags"),
    ("ecs", "UntagResource", "resourceArn!:s tagKeys!:[s]"),
    ("ecs", "ListTagsForResource", "resourceArn!:s"),
    // IAM: the roles and instance profile of the tutorial.
    (
        "iam",
        "CreateRole",
        "Path:s RoleName!:s AssumeRolePolicyDocument!:s Description:s MaxSessionDuration:i \
         PermissionsBoundary:s Tags:@iamtags",
    ),
    ("iam", "DeleteRole", "RoleName!:s"),
    ("iam", "GetRole", "RoleName!:s"),
    ("iam", "AttachRolePolicy", "RoleName!:s PolicyArn!:s"),
    ("iam", "DetachRolePolicy", "RoleName!:s PolicyArn!:s"),
    ("iam", "ListAttachedRolePolicies", "RoleName!:s PathPrefix:s Marker:s MaxItems:i"),
    ("iam", "CreateInstanceProfile", "InstanceProfileName!:s Path:s Tags:@iamtags"),
    ("iam", "DeleteInstanceProfile", "InstanceProfileName!:s"),
    ("iam", "GetInstanceProfile", "InstanceProfileName!:s"),
    ("iam", "AddRoleToInstanceProfile", "InstanceProfileName!:s RoleName!:s"),
    ("iam", "RemoveRoleFromInstanceProfile", "InstanceProfileName!:s RoleName!:s"),
    // STS, CloudWatch Logs, EC2, CloudWatch.
    ("sts", "GetCallerIdentity", ""),
    ("logs", "CreateLogGroup", "logGroupName!:s kmsKeyId:s tags:m logGroupClass:s"),
    ("logs", "DeleteLogGroup", "logGroupName!:s"),
    ("logs", "DescribeLogGroups", "logGroupNamePrefix:s nextToken:s limit:i"),
    ("ec2", "TerminateInstances", "InstanceIds!:[s] DryRun:b"),
    (
        "ec2",
        "DescribeInstances",
        "InstanceIds:[s] Filters:[{Name:s Values:[s]}] DryRun:b MaxResults:i NextToken:s",
    ),
    (
        "cloudwatch",
        "PutMetricAlarm",
        "AlarmName!:s AlarmDescription:s ActionsEnabled:b OKActions:[s] AlarmActions:[s] \
         InsufficientDataActions:[s] MetricName:s Namespace:s Statistic:s ExtendedStatistic:s \
         Dimensions:@dimensions Period:i Unit:s EvaluationPeriods!:i DatapointsToAlarm:i Threshold:d \
         ComparisonOperator!:s TreatMissingData:s EvaluateLowSampleCountPercentile:s Metrics:j \
         Tags:@iamtags ThresholdMetricId:s",
    ),
    ("cloudwatch", "SetAlarmState", "AlarmName!:s StateValue!:s StateReason!:s StateReasonData:s"),
    (
        "cloudwatch",
        "DescribeAlarms",
        "AlarmNames:[s] AlarmNamePrefix:s AlarmTypes:[s] ChildrenOfAlarmName:s ParentsOfAlarmName:s \
         StateValue:s ActionPrefix:s MaxRecords:i NextToken:s",
    ),
    ("cloudwatch", "DeleteAlarms", "AlarmNames!:[s]"),
];

/// The services the console knows, in the order the CLI lists them.
pub fn services() -> Vec<&'static str> {
    let mut services: Vec<&'static str> = OPERATIONS.iter().map(|(service, _, _)| *service).collect();
    crate::support::order::sort(&mut services);
    services.dedup();
    services
}

/// Looks an operation up by service and CLI name (`describe-daemon-deployments`).
pub fn find_operation(service: &str, cli_name: &str) -> Option<Operation> {
    OPERATIONS
        .iter()
        .find(|(s, name, _)| *s == service && super::names::kebab_case(name) == cli_name)
        .map(|(service, name, members)| operation(service, name, members))
}

/// Looks an operation up by service and action name (`DescribeDaemonDeployments`).
pub fn find_operation_by_name(service: &str, name: &str) -> Option<Operation> {
    OPERATIONS
        .iter()
        .find(|(s, n, _)| *s == service && *n == name)
        .map(|(service, name, members)| operation(service, name, members))
}

fn operation(service: &'static str, name: &'static str, members: &str) -> Operation {
    let input = parse_members(members).unwrap_or_else(|error| {
        // The table is static and a unit test parses every entry; an error here is a bug in it.
        debug_assert!(false, "bad shape for {name}: {error}");
        Vec::new()
    });
    Operation { service, name, input }
}

/// Parses `name:type name!:type ...`.
pub fn parse_members(text: &str) -> Result<Vec<Member>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut index = 0;
    let members = members(&chars, &mut index, None)?;
    if index != chars.len() {
        return Err(format!("unexpected '{}' at {index}", chars[index]));
    }
    Ok(members)
}

fn skip_blanks(chars: &[char], index: &mut usize) {
    while *index < chars.len() && chars[*index].is_whitespace() {
        *index += 1;
    }
}

fn members(chars: &[char], index: &mut usize, close: Option<char>) -> Result<Vec<Member>, String> {
    let mut out = Vec::new();
    loop {
        skip_blanks(chars, index);
        match chars.get(*index) {
            None if close.is_none() => return Ok(out),
            None => return Err("unterminated structure".into()),
            Some(c) if Some(*c) == close => return Ok(out),
            Some(_) => {}
        }
        let mut name = String::new();
        while let Some(c) = chars.get(*index).filter(|c| c.is_ascii_alphanumeric()) {
            name.push(*c);
            *index += 1;
        }
        let required = chars.get(*index) == Some(&'!');
        if required {
            *index += 1;
        }
        if name.is_empty() || chars.get(*index) != Some(&':') {
            return Err(format!("expected name: at {index}"));
        }
        *index += 1;
        let shape = shape(chars, index)?;
        out.push(Member { name, required, shape });
    }
}

fn shape(chars: &[char], index: &mut usize) -> Result<Shape, String> {
    let c = *chars.get(*index).ok_or("missing type")?;
    *index += 1;
    Ok(match c {
        's' => Shape::String,
        'i' => Shape::Integer,
        'd' => Shape::Double,
        'b' => Shape::Boolean,
        't' => Shape::Timestamp,
        'j' => Shape::Any,
        'm' => Shape::Map,
        '[' => {
            let element = shape(chars, index)?;
            if chars.get(*index) != Some(&']') {
                return Err(format!("expected ] at {index}"));
            }
            *index += 1;
            Shape::List(Box::new(element))
        }
        '{' => {
            let members = members(chars, index, Some('}'))?;
            *index += 1;
            Shape::Structure(members)
        }
        '@' => {
            let mut name = String::new();
            while let Some(c) = chars.get(*index).filter(|c| c.is_ascii_alphanumeric()) {
                name.push(*c);
                *index += 1;
            }
            let (_, text) =
                NAMED.iter().find(|(n, _)| *n == name).ok_or_else(|| format!("unknown shape @{name}"))?;
            let inner: Vec<char> = text.chars().collect();
            let mut inner_index = 0;
            shape(&inner, &mut inner_index)?
        }
        other => return Err(format!("unknown type '{other}'")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_shape_parses() {
        for (service, name, members) in OPERATIONS {
            parse_members(members).unwrap_or_else(|e| panic!("{service} {name}: {e}"));
        }
    }

    #[test]
    fn named_shapes_expand() {
        let op = find_operation("ecs", "put-cluster-capacity-providers").unwrap();
        let strategy = op.input.iter().find(|m| m.name == "defaultCapacityProviderStrategy").unwrap();
        let Shape::List(element) = &strategy.shape else { panic!("not a list") };
        let Shape::Structure(members) = element.as_ref() else { panic!("not a structure") };
        assert_eq!(members[1], Member { name: "weight".into(), required: false, shape: Shape::Integer });
    }
}
