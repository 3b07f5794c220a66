data "aws_partition" "current" {
  count = 1
}

locals {
  partition = try(data.aws_partition.current[0].partition, "")
}

data "aws_iam_policy_document" "ebs" {
  statement {
    actions   = ["ec2:DeleteSnapshot"]
    resources = ["arn:${local.partition}:ec2:*:*:snapshot/*"]
  }
}

resource "aws_iam_policy" "ebs" {
  name   = "ebs"
  policy = data.aws_iam_policy_document.ebs.json
}
