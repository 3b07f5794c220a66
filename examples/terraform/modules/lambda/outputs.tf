output "data_integration_trusted_role_arn" {
  value = aws_iam_role.trusted.arn
}

output "lambda_arn" {
  value = aws_lambda_function.fn.arn
}
