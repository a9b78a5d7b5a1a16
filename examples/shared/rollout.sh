# Revision 2 of the agent, rolled out a quarter of the fleet at a time.
aws ecs register-daemon-task-definition --family agent --cpu 256 --memory 512 --container-definitions '[{"name":"agent","image":"agent:v2","essential":true}]'
aws ecs update-daemon --daemon-arn arn:aws:ecs:us-east-1:123456789012:daemon/demo/agent --daemon-task-definition-arn agent:2 --capacity-provider-arns demo-mi --deployment-configuration drainPercent=25
