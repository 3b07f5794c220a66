/**
 * Policies that restrict rather than grant: permissions boundaries, VPC endpoint policies, SCPs, RCPs and session
 * policies. An Allow in them grants nothing — it caps what identity and resource policies grant — so the permission
 * rules (DPY201, DPY202, DPY204) do not judge them as grants. They are recognised from context:
 *
 * - a template: a managed policy of the template that a role, user or function names as `PermissionsBoundary` and
 *   nothing attaches as a permission; in Terraform, an `aws_iam_policy` a role names as `permissions_boundary` (by
 *   reference or by its ARN) and nothing attaches; an `AWS::EC2::VPCEndpoint` `PolicyDocument` (Terraform:
 *   `aws_vpc_endpoint` / `aws_vpc_endpoint_policy` `policy`); an `AWS::Organizations::Policy` `Content` (as a
 *   mapping) of type SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY (Terraform: `aws_organizations_policy`
 *   `content`, whose type defaults to SERVICE_CONTROL_POLICY);
 * - an account dump: a managed policy that is a role's `PermissionsBoundary` and no role has attached;
 * - a standalone file, by its name or folder: `*endpoint_policy.json` or a `vpc_endpoint_policies/` folder,
 *   `*_scp.json` or `service_control_policies/`, `*_rcp.json` or `resource_control_policies/`,
 *   `*PermissionsBoundary*`, `*session_policy*` (the names the AWS data-perimeter examples and AWS managed policies use).
 *
 * AWS managed policies are not grants to judge statement by statement either: deputy reports their breadth once, at
 * the attachment (an account dump's role with `PowerUserAccess` attached). A managed policy is recognised from the
 * dump's policy ARN (`arn:aws:iam::aws:policy/…`), and a standalone copy by its file name, when it is exactly an AWS
 * managed policy's name (`awsManagedFromPath`).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PolicyDocument, RestrictingPurpose } from "./entities.js";

const BY_NAME: { re: RegExp; purpose: RestrictingPurpose }[] = [
  { re: /(^|\/|__)(vpc[-_]?)?endpoint[-_]?polic(y|ies)(\/|__)|(^|[-_./])(vpce?[-_]?)?endpoint[-_]?polic(y|ies)[^/]*\.(json|ya?ml)$/i, purpose: "VPC endpoint policy" },
  { re: /(^|\/|__)(service[-_]?control[-_]?polic(y|ies)|scps?)(\/|__)|[-_.]scp\.(json|ya?ml)$/i, purpose: "service control policy" },
  { re: /(^|\/|__)(resource[-_]?control[-_]?polic(y|ies)|rcps?)(\/|__)|[-_.]rcp\.(json|ya?ml)$/i, purpose: "resource control policy" },
  { re: /permissions?[-_]?boundar(y|ies)[^/]*$/i, purpose: "permissions boundary" },
  { re: /session[-_]?polic(y|ies)[^/]*$/i, purpose: "session policy" },
];

/** The restricting purpose a standalone policy file's folder and name say, if any. */
export function purposeFromPath(path: string): RestrictingPurpose | undefined {
  const p = path.replace(/\\/g, "/");
  const parts = p.split("/");
  const tail = parts.slice(-2).join("/");
  return BY_NAME.find((b) => b.re.test(tail))?.purpose;
}

/** Whether the permission rules should leave a document alone: it restricts, or it is AWS managed (judged at its attachments). */
export function notAGrant(doc: PolicyDocument): boolean {
  return doc.purpose !== undefined || doc.awsManaged !== undefined;
}

let managedNames: Set<string> | undefined;

/** The AWS managed policy names (`data/aws-managed-policies.json`), read once on first need. */
function awsManagedNames(): Set<string> {
  if (!managedNames) {
    const file = fileURLToPath(new URL("../../data/aws-managed-policies.json", import.meta.url));
    managedNames = new Set((JSON.parse(readFileSync(file, "utf8")) as { names: string[] }).names);
  }
  return managedNames;
}

/**
 * The AWS managed policy a standalone policy file is a copy of, by its name: `AdministratorAccess.json`,
 * `policies/AWSLambdaVPCAccessExecutionRole.yaml` (the exact, case-sensitive name of an AWS managed policy, see
 * `data/aws-managed-policies.json`). Such a document's breadth is AWS's: the permission rules judge it where it is
 * attached (an account dump's attachment), not statement by statement in a document nobody can edit.
 */
export function awsManagedFromPath(path: string): { name: string } | undefined {
  const base = path.replace(/\\/g, "/").split("/").pop() ?? "";
  const m = /^(.+)\.(json|ya?ml)$/i.exec(base);
  return m && awsManagedNames().has(m[1]!) ? { name: m[1]! } : undefined;
}
