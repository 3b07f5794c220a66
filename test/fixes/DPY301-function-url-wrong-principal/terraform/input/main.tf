data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::765628985471:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["011a0480-9a1e-4da9-8cdd-2642474cf92a"]
    }
  }
}

resource "aws_iam_role" "genesys" {
  name               = "genesys-data-actions"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions = [
      "lambda:InvokeFunction",
      "lambda:InvokeFunctionUrl",
    ]
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:lookup"]
  }
}

resource "aws_iam_role_policy" "invoke" {
  role   = aws_iam_role.genesys.id
  policy = data.aws_iam_policy_document.invoke.json
}
