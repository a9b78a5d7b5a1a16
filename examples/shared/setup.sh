# A cluster with a Managed Instances capacity provider, the monitoring agent as a managed daemon
# (agent:1) and a service of 12 app tasks; each app task takes most of an instance, so the provider
# launches 12 instances. The AWS CLI as a platform team would type it against AWS.
aws iam create-role --role-name ecsInfrastructureRole --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInfrastructureRole --policy-arn arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances
aws iam create-role --role-name ecsInstanceRole --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInstanceRole --policy-arn arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances
aws iam create-instance-profile --instance-profile-name ecsInstanceRole
aws iam add-role-to-instance-profile --instance-profile-name ecsInstanceRole --role-name ecsInstanceRole
aws ecs create-cluster --cluster-name demo
aws ecs create-capacity-provider --name demo-mi --cluster demo --managed-instances-provider '{"infrastructureRoleArn":"arn:aws:iam::123456789012:role/ecsInfrastructureRole","instanceLaunchTemplate":{"ec2InstanceProfileArn":"arn:aws:iam::123456789012:instance-profile/ecsInstanceRole","networkConfiguration":{"subnets":["subnet-1"]},"instanceRequirements":{"vCpuCount":{"min":2,"max":4},"memoryMiB":{"min":4096,"max":8192}}}}'
aws ecs put-cluster-capacity-providers --cluster demo --capacity-providers demo-mi --default-capacity-provider-strategy capacityProvider=demo-mi,weight=1
aws ecs register-daemon-task-definition --family agent --cpu 256 --memory 512 --container-definitions '[{"name":"agent","image":"agent:v1","essential":true}]'
aws ecs create-daemon --cluster-arn arn:aws:ecs:us-east-1:123456789012:cluster/demo --daemon-name agent --daemon-task-definition-arn arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/agent:1 --capacity-provider-arns arn:aws:ecs:us-east-1:123456789012:capacity-provider/demo-mi
aws ecs register-task-definition --family app --cpu 1536 --memory 3072 --requires-compatibilities MANAGED_INSTANCES --container-definitions '[{"name":"app","image":"nginx","essential":true}]'
aws ecs create-service --cluster demo --service-name web --task-definition app:1 --desired-count 12 --capacity-provider-strategy capacityProvider=demo-mi,weight=1
