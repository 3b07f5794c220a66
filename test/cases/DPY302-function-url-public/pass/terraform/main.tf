resource "aws_iam_role" "exec" {
  name = "orders-exec"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "orders"
  role          = aws_iam_role.exec.arn
}

resource "aws_lambda_function_url" "url" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "AWS_IAM"
}

# The principal of a for_each permission is unknown: no finding.
variable "callers" {
  type = map(string)
}

resource "aws_lambda_permission" "callers" {
  for_each      = var.callers
  action        = "lambda:InvokeFunctionUrl"
  function_name = aws_lambda_function.fn.function_name
  principal     = each.value
}
