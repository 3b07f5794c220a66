resource "aws_iam_role" "r" {
  name = "broken"
  assume_role_policy = 
}
