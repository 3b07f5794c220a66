data "aws_iam_policy_document" "invoke" {
  statement {
    sid       = "Invoke"
    actions   = ["lambda:InvokeFunction"]
    resources = local.everything
  }
}

resource "aws_iam_role_policy" "invoke" {
  name   = "invoke"
  role   = "genesys-data-actions"
  policy = data.aws_iam_policy_document.invoke.json
}
