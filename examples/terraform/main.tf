module "lambda" {
  source          = "./modules/lambda"
  prefix          = var.prefix
  organization_id = var.organization_id
}

module "integration" {
  source   = "./modules/integration"
  role_arn = module.lambda.data_integration_trusted_role_arn
}

module "data_action" {
  source         = "./modules/data-action"
  integration_id = module.integration.integration_id
  lambda_arn     = module.lambda.lambda_arn
}

# Remote modules are never fetched: what they return is unknown.
module "queues" {
  source = "git::https://github.com/GenesysCloudDevOps/genesys-cloud-queues-demo.git?ref=main"
}
