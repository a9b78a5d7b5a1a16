# Seed 002's tutorial commands, as published, with the placeholders filled in:
# <your-subnet-id> -> subnet-0123456789abcdef0, <your-sg-id> -> sg-0123456789abcdef0,
# <account-id> -> 123456789012, <deployment-arn> -> $DEPLOYMENT_ARN (set by the one added command,
# marked below). Line breaks lost when the page was scraped are restored; nothing else changed.

# Infrastructure role
aws iam create-role \
--role-name ecsInfrastructureRole \
--assume-role-policy-document '{
"Version":"2012-10-17",
"Statement":[{
"Effect":"Allow",
"Principal":{"Service":"ecs.amazonaws.com"},
"Action":"sts:AssumeRole"
}]
}'
aws iam attach-role-policy \
--role-name ecsInfrastructureRole \
--policy-arn arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances
# Instance profile
aws iam create-role \
--role-name ecsInstanceRole \
--assume-role-policy-document '{
"Version":"2012-10-17",
"Statement":[{
"Effect":"Allow",
"Principal":{"Service":"ec2.amazonaws.com"},
"Action":"sts:AssumeRole"
}]
}'
aws iam attach-role-policy \
--role-name ecsInstanceRole \
--policy-arn arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances
aws iam create-instance-profile --instance-profile-name ecsInstanceRole
aws iam add-role-to-instance-profile \
--instance-profile-name ecsInstanceRole --role-name ecsInstanceRole
# Task role (for ECS Exec)
aws iam create-role \
--role-name ecsExecTaskRole \
--assume-role-policy-document '{
"Version":"2012-10-17",
"Statement":[{
"Effect":"Allow",
"Principal":{"Service":"ecs-tasks.amazonaws.com"},
"Action":"sts:AssumeRole"
}]
}'
aws iam attach-role-policy \
--role-name ecsExecTaskRole \
--policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore
ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)
REGION=us-east-1
aws ecs create-cluster --cluster-name daemon-test --region $REGION
aws logs create-log-group --log-group-name /ecs/daemon-test --region $REGION
# Replace subnet and security group IDs with your own
aws ecs create-capacity-provider \
--name daemon-test-mi \
--cluster daemon-test \
--managed-instances-provider '{
"infrastructureRoleArn": "arn:aws:iam::'$ACCOUNT_ID':role/ecsInfrastructureRole",
"instanceLaunchTemplate": {
"ec2InstanceProfileArn": "arn:aws:iam::'$ACCOUNT_ID':instance-profile/ecsInstanceRole",
"networkConfiguration": {
"subnets": ["subnet-0123456789abcdef0"],
"securityGroups": ["sg-0123456789abcdef0"]
},
"instanceRequirements": {
"vCpuCount": {"min": 2, "max": 4},
"memoryMiB": {"min": 4096, "max": 8192}
}
}
}' --region $REGION
aws ecs put-cluster-capacity-providers \
--cluster daemon-test \
--capacity-providers daemon-test-mi \
--default-capacity-provider-strategy capacityProvider=daemon-test-mi,weight=1 \
--region $REGION
aws ecs register-daemon-task-definition \
--cli-input-json '{
"family": "monitoring-agent",
"executionRoleArn": "arn:aws:iam::'$ACCOUNT_ID':role/ecsTaskExecutionRole",
"cpu": "256", "memory": "512",
"containerDefinitions": [{
"name": "agent",
"image": "public.ecr.aws/docker/library/nginx:alpine",
"essential": true, "memoryReservation": 256,
"logConfiguration": {
"logDriver": "awslogs",
"options": {
"awslogs-group": "/ecs/daemon-test",
"awslogs-region": "'$REGION'",
"awslogs-stream-prefix": "daemon"
}
}
}]
}' --region $REGION
aws ecs create-daemon \
--cli-input-json '{
"clusterArn": "arn:aws:ecs:'$REGION':'$ACCOUNT_ID':cluster/daemon-test",
"daemonName": "monitoring-agent",
"daemonTaskDefinitionArn": "arn:aws:ecs:'$REGION':'$ACCOUNT_ID':daemon-task-definition/monitoring-agent:1",
"capacityProviderArns": ["arn:aws:ecs:'$REGION':'$ACCOUNT_ID':capacity-provider/daemon-test-mi"],
"enableExecuteCommand": true
}' --region $REGION
aws ecs register-task-definition \
--cli-input-json '{
"family": "test-app",
"networkMode": "awsvpc",
"taskRoleArn": "arn:aws:iam::'$ACCOUNT_ID':role/ecsExecTaskRole",
"executionRoleArn": "arn:aws:iam::'$ACCOUNT_ID':role/ecsTaskExecutionRole",
"requiresCompatibilities": ["MANAGED_INSTANCES"],
"cpu": "512", "memory": "1024",
"containerDefinitions": [{
"name": "nginx",
"image": "public.ecr.aws/docker/library/nginx:alpine",
"essential": true,
"portMappings": [{"containerPort": 80, "protocol": "tcp"}],
"logConfiguration": {
"logDriver": "awslogs",
"options": {
"awslogs-group": "/ecs/daemon-test",
"awslogs-region": "'$REGION'",
"awslogs-stream-prefix": "app"
}
}
}]
}' --region $REGION
aws ecs create-service \
--cluster daemon-test --service-name app-svc \
--task-definition test-app:1 --desired-count 1 \
--capacity-provider-strategy capacityProvider=daemon-test-mi,weight=1 \
--network-configuration 'awsvpcConfiguration={subnets=[subnet-0123456789abcdef0],securityGroups=[sg-0123456789abcdef0]}' \
--enable-execute-command --region $REGION
# Added: "About 5 minutes after creating the service" (the issue's `sleep 300`).
sleep 300
aws ecs describe-tasks --cluster daemon-test \
--tasks $(aws ecs list-tasks --cluster daemon-test \
--query 'taskArns' --output text --region us-east-1) \
--query 'tasks[].{group:group,startedAt:startedAt}' \
--output table --region us-east-1
# Switch image to httpd:alpine
aws ecs register-daemon-task-definition \
--cli-input-json '{
"family": "monitoring-agent",
"executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
"cpu": "256", "memory": "512",
"containerDefinitions": [{
"name": "agent",
"image": "public.ecr.aws/docker/library/httpd:alpine",
"essential": true, "memoryReservation": 256,
"logConfiguration": {
"logDriver": "awslogs",
"options": {
"awslogs-group": "/ecs/daemon-test",
"awslogs-region": "us-east-1",
"awslogs-stream-prefix": "daemon-v2"
}
}
}]
}' --region us-east-1
aws ecs update-daemon \
--daemon-arn arn:aws:ecs:us-east-1:123456789012:daemon/daemon-test/monitoring-agent \
--daemon-task-definition-arn arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/monitoring-agent:2 \
--capacity-provider-arns arn:aws:ecs:us-east-1:123456789012:capacity-provider/daemon-test-mi \
--region us-east-1
# Deployment status
aws ecs list-daemon-deployments \
--daemon-arn arn:aws:ecs:us-east-1:123456789012:daemon/daemon-test/monitoring-agent \
--query 'daemonDeployments[0].status' --output text --region us-east-1
# App running count
aws ecs describe-services --cluster daemon-test --services app-svc \
--query 'services[0].runningCount' --output text --region us-east-1
# Container instance states
aws ecs describe-container-instances --cluster daemon-test \
--container-instances $(aws ecs list-container-instances --cluster daemon-test \
--query 'containerInstanceArns' --output text --region us-east-1) \
--query 'containerInstances[].{id:ec2InstanceId,status:status,tasks:runningTasksCount}' \
--output table --region us-east-1
# Added: the tutorial leaves <deployment-arn> to the reader; this is where it comes from.
DEPLOYMENT_ARN=$(aws ecs list-daemon-deployments \
--daemon-arn arn:aws:ecs:us-east-1:123456789012:daemon/daemon-test/monitoring-agent \
--query 'daemonDeployments[0].daemonDeploymentArn' --output text --region us-east-1)
aws ecs describe-daemon-deployments \
--daemon-deployment-arns $DEPLOYMENT_ARN \
--region us-east-1
# Cleanup
REGION=us-east-1
aws ecs update-service --cluster daemon-test --service app-svc \
--desired-count 0 --region $REGION
aws ecs delete-service --cluster daemon-test --service app-svc --region $REGION
aws ecs delete-daemon \
--daemon-arn arn:aws:ecs:$REGION:123456789012:daemon/daemon-test/monitoring-agent \
--region $REGION
sleep 60
aws ecs delete-capacity-provider --capacity-provider daemon-test-mi --region $REGION
sleep 60
aws ecs delete-cluster --cluster daemon-test --region $REGION
aws logs delete-log-group --log-group-name /ecs/daemon-test --region $REGION
aws iam detach-role-policy --role-name ecsInfrastructureRole \
--policy-arn arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances
aws iam delete-role --role-name ecsInfrastructureRole
aws iam remove-role-from-instance-profile \
--instance-profile-name ecsInstanceRole --role-name ecsInstanceRole
aws iam delete-instance-profile --instance-profile-name ecsInstanceRole
aws iam detach-role-policy --role-name ecsInstanceRole \
--policy-arn arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances
aws iam delete-role --role-name ecsInstanceRole
aws iam detach-role-policy --role-name ecsExecTaskRole \
--policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore
aws iam delete-role --role-name ecsExecTaskRole
