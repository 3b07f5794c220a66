# The same restricting policies as restricting-endpoint-scp.yaml, in Terraform: an Allow of "*" or a Principal "*"
# in them caps what other policies grant; it grants nothing.
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.us-east-1.s3"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
      },
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObjectz"
        Resource  = "*"
      },
    ]
  })
}

resource "aws_vpc_endpoint_policy" "dynamodb" {
  vpc_endpoint_id = "vpce-1"
  policy          = data.aws_iam_policy_document.endpoint.json
}

data "aws_iam_policy_document" "endpoint" {
  statement {
    actions   = ["dynamodb:*"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_organizations_policy" "scp" {
  name    = "deny-regions"
  content = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        { "Effect": "Allow", "Action": "*", "Resource": "*" },
        { "Effect": "Deny", "NotAction": "iam:*", "Resource": "*" },
        { "Effect": "Allow", "Action": "ec2:RunInstancez", "Resource": "*" }
      ]
    }
  EOF
}

resource "aws_organizations_policy" "rcp" {
  name = "rcp"
  type = "RESOURCE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "*"
      Resource  = "*"
    }]
  })
}

locals {
  boundary_arn = "arn:aws:iam::123456789012:policy/boundary"
}

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["123456789012"]
}

resource "aws_iam_policy" "boundary" {
  name = "boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_role" "app" {
  name                 = "app"
  permissions_boundary = local.boundary_arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
