// Content generators for each input kind of the synthetic corpus.
//
// Each generator takes an Rng and returns document objects (serialised by the
// caller). Shapes follow the real files in /work/shared/corpus: AWS managed and
// hand-written identity policies, trust policies (services, cross-account,
// Genesys Cloud's account 765628985471 with and without sts:ExternalId, GitHub
// OIDC), CloudFormation templates with roles/policies/Lambda/S3/SQS/DynamoDB,
// CDK cloud assemblies and Genesys Cloud data action exports. A share of them
// contain the mistakes deputy looks for, so the rules do real work.

import { Fn, Ref, GetAtt, Sub, Join, If, Equals, Not, Select, GetAZs, ImportValue } from "./emit.mjs";

export const GENESYS_ACCOUNT = "765628985471";

// ---------------------------------------------------------------------------
// Vocabulary

const WORDS = [
  "orders", "callback", "ivr", "customer", "lookup", "sentiment", "routing", "agent", "billing", "crm",
  "profile", "survey", "cache", "sms", "chat", "analytics", "export", "ingest", "notify", "queue",
  "contact", "priority", "blacklist", "schedule", "wrapup", "transcript", "recording", "payment", "ticket", "audit",
];
const REGIONS = ["us-east-1", "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ca-central-1"];
const RUNTIMES = ["nodejs20.x", "nodejs18.x", "python3.12", "python3.11", "nodejs22.x", "java21"];

/** service -> actions, loosely following the AWS service authorisation reference. */
const ACTIONS = {
  s3: ["GetObject", "PutObject", "DeleteObject", "ListBucket", "GetBucketLocation", "GetObjectVersion", "PutObjectAcl", "GetBucketPolicy", "PutBucketPolicy", "ListAllMyBuckets"],
  dynamodb: ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem", "DescribeTable", "ConditionCheckItem"],
  lambda: ["InvokeFunction", "GetFunction", "ListFunctions", "UpdateFunctionCode", "CreateFunction", "AddPermission", "InvokeFunctionUrl"],
  sqs: ["SendMessage", "ReceiveMessage", "DeleteMessage", "GetQueueAttributes", "GetQueueUrl", "ChangeMessageVisibility", "PurgeQueue"],
  sns: ["Publish", "Subscribe", "ListTopics", "CreateTopic", "GetTopicAttributes"],
  logs: ["CreateLogGroup", "CreateLogStream", "PutLogEvents", "DescribeLogGroups", "DescribeLogStreams", "GetLogEvents"],
  kms: ["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey", "ReEncrypt*", "CreateGrant"],
  secretsmanager: ["GetSecretValue", "DescribeSecret", "PutSecretValue", "ListSecrets"],
  ssm: ["GetParameter", "GetParameters", "GetParametersByPath", "PutParameter"],
  ec2: ["DescribeInstances", "DescribeVpcs", "DescribeSubnets", "CreateNetworkInterface", "DescribeNetworkInterfaces", "DeleteNetworkInterface", "DescribeSecurityGroups"],
  iam: ["PassRole", "GetRole", "CreateRole", "AttachRolePolicy", "PutRolePolicy", "ListRoles", "CreateAccessKey", "GetPolicy"],
  sts: ["AssumeRole", "GetCallerIdentity", "TagSession"],
  cloudwatch: ["PutMetricData", "GetMetricData", "ListMetrics", "DescribeAlarms"],
  xray: ["PutTraceSegments", "PutTelemetryRecords"],
  events: ["PutEvents", "PutRule", "PutTargets"],
  states: ["StartExecution", "DescribeExecution", "SendTaskSuccess"],
  kinesis: ["PutRecord", "PutRecords", "GetRecords", "GetShardIterator", "DescribeStream"],
  connect: ["DescribeContact", "StartOutboundVoiceContact", "GetContactAttributes"],
};
const SERVICES = Object.keys(ACTIONS);
const TRUSTED_SERVICES = ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "ec2.amazonaws.com", "states.amazonaws.com", "events.amazonaws.com", "apigateway.amazonaws.com", "codebuild.amazonaws.com", "scheduler.amazonaws.com"];

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const pascal = (...words) => words.map(cap).join("");
const name = (rng, n = 2) => rng.sample(WORDS, n).join("-");

function resourceArn(rng, service, account, region) {
  const w = rng.pick(WORDS);
  switch (service) {
    case "s3":
      return rng.chance(0.5) ? `arn:aws:s3:::${w}-bucket-${account}` : `arn:aws:s3:::${w}-bucket-${account}/*`;
    case "dynamodb":
      return `arn:aws:dynamodb:${region}:${account}:table/${cap(w)}Table${rng.chance(0.2) ? "/index/*" : ""}`;
    case "lambda":
      return `arn:aws:lambda:${region}:${account}:function:${w}-handler${rng.chance(0.2) ? ":*" : ""}`;
    case "sqs":
      return `arn:aws:sqs:${region}:${account}:${w}-queue`;
    case "sns":
      return `arn:aws:sns:${region}:${account}:${w}-topic`;
    case "logs":
      return `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/${w}-handler:*`;
    case "kms":
      return `arn:aws:kms:${region}:${account}:key/${rng.uuid()}`;
    case "secretsmanager":
      return `arn:aws:secretsmanager:${region}:${account}:secret:${w}/api-key-${rng.hex(6, false)}`;
    case "ssm":
      return `arn:aws:ssm:${region}:${account}:parameter/${w}/*`;
    case "iam":
      return `arn:aws:iam::${account}:role/${w}-role`;
    case "sts":
      return `arn:aws:iam::${rng.account()}:role/${w}-cross-account`;
    case "kinesis":
      return `arn:aws:kinesis:${region}:${account}:stream/${w}`;
    case "states":
      return `arn:aws:states:${region}:${account}:stateMachine:${cap(w)}Flow`;
    default:
      return "*";
  }
}

function condition(rng, account) {
  switch (rng.int(0, 6)) {
    case 0:
      return { Bool: { "aws:SecureTransport": "true" } };
    case 1:
      return { StringEquals: { "aws:RequestedRegion": rng.sample(REGIONS, rng.int(1, 2)) } };
    case 2:
      return { StringEquals: { "aws:PrincipalOrgID": `o-${rng.hex(10, false)}` } };
    case 3:
      return { StringLike: { "s3:prefix": [`${rng.pick(WORDS)}/*`, ""] } };
    case 4:
      return { ArnLike: { "aws:SourceArn": `arn:aws:events:${rng.pick(REGIONS)}:${account}:rule/*` } };
    case 5:
      return { StringEquals: { "iam:PassedToService": rng.pick(TRUSTED_SERVICES) } };
    default:
      return { IpAddress: { "aws:SourceIp": [`${rng.int(10, 200)}.${rng.int(0, 255)}.0.0/16`] } };
  }
}

// ---------------------------------------------------------------------------
// Identity policies

/** One identity-policy statement; `big` produces managed-policy-sized action lists. */
function identityStatement(rng, account, region, big = false) {
  const services = rng.sample(SERVICES, big ? rng.int(3, 12) : rng.int(1, 2));
  let actions = [];
  for (const s of services) {
    const pool = ACTIONS[s];
    if (rng.chance(big ? 0.05 : 0.08)) actions.push(`${s}:*`);
    else if (rng.chance(0.1)) actions.push(`${s}:${rng.pick(["Get*", "List*", "Describe*", "Put*"])}`);
    else for (const a of rng.sample(pool, big ? rng.int(4, pool.length) : rng.int(1, 4))) actions.push(`${s}:${a}`);
  }
  const st = {};
  if (rng.chance(0.45)) st.Sid = pascal(...rng.sample(WORDS, 2), "Access");
  st.Effect = rng.chance(0.92) ? "Allow" : "Deny";
  if (rng.chance(0.03)) actions = ["*"];
  if (rng.chance(0.04)) st.NotAction = actions.length === 1 ? actions[0] : actions;
  else st.Action = actions.length === 1 && rng.chance(0.5) ? actions[0] : actions;
  const resources = rng.chance(0.35) ? ["*"] : services.slice(0, 3).map((s) => resourceArn(rng, s, account, region));
  st.Resource = resources.length === 1 && rng.chance(0.6) ? resources[0] : resources;
  if (rng.chance(0.2)) st.Condition = condition(rng, account);
  return st;
}

/** A standalone identity policy document (policies/ kind). */
export function identityPolicy(rng) {
  const account = rng.account();
  const region = rng.pick(REGIONS);
  const size = rng.weighted({ small: 70, medium: 22, managed: 8 });
  const n = size === "small" ? rng.int(1, 3) : size === "medium" ? rng.int(4, 10) : rng.int(2, 8);
  const Statement = [];
  for (let i = 0; i < n; i++) Statement.push(identityStatement(rng, account, region, size === "managed"));
  const doc = { Version: rng.chance(0.95) ? "2012-10-17" : "2008-10-17", Statement };
  if (rng.chance(0.1)) doc.Id = `${rng.pick(WORDS)}-policy`;
  // A few single-statement documents use the object (not array) form.
  if (n === 1 && rng.chance(0.3)) doc.Statement = Statement[0];
  return doc;
}

/** The policy document for a role's inline policy inside a template (may use intrinsics). */
function templatePolicyDocument(rng, refs) {
  const Statement = [];
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    const r = rng.float();
    if (r < 0.25 && refs.table) {
      Statement.push({ Effect: "Allow", Action: rng.sample(ACTIONS.dynamodb, rng.int(2, 5)).map((a) => `dynamodb:${a}`), Resource: [GetAtt(`${refs.table}.Arn`), Sub(`\${${refs.table}.Arn}/index/*`)] });
    } else if (r < 0.45 && refs.queue) {
      Statement.push({ Effect: "Allow", Action: ["sqs:SendMessage", "sqs:GetQueueAttributes"], Resource: GetAtt(`${refs.queue}.Arn`) });
    } else if (r < 0.65 && refs.bucket) {
      Statement.push({ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: Sub(`arn:\${AWS::Partition}:s3:::\${${refs.bucket}}/*`) });
    } else if (r < 0.75) {
      Statement.push({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: Sub(`arn:aws:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${rng.pick(WORDS)}/*`) });
    } else if (r < 0.8) {
      // Over-broad statement: something for the rules to find.
      Statement.push({ Effect: "Allow", Action: rng.pick(["*", "s3:*", "iam:PassRole", "lambda:*"]), Resource: "*" });
    } else {
      Statement.push({ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: Sub("arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/*") });
    }
  }
  return { Version: "2012-10-17", Statement };
}

// ---------------------------------------------------------------------------
// Trust policies

/** A trust (assume-role) policy; variant picks the trusted principal. */
export function trustPolicy(rng, variant = null) {
  const kind =
    variant ??
    rng.weighted({ service: 40, genesysExt: 15, genesysNoExt: 7, crossAccount: 16, oidc: 10, saml: 4, star: 3, multi: 5 });
  const st = (principal, action = "sts:AssumeRole", cond) => {
    const s = { Effect: "Allow", Principal: principal, Action: action };
    if (cond) s.Condition = cond;
    return s;
  };
  const genesysPrincipal = () => ({ AWS: rng.chance(0.8) ? `arn:aws:iam::${GENESYS_ACCOUNT}:root` : GENESYS_ACCOUNT });
  let statements;
  switch (kind) {
    case "service":
      statements = [st({ Service: rng.chance(0.8) ? rng.pick(TRUSTED_SERVICES) : rng.sample(TRUSTED_SERVICES, 2) })];
      break;
    case "genesysExt":
      statements = [st(genesysPrincipal(), "sts:AssumeRole", { StringEquals: { "sts:ExternalId": rng.uuid() } })];
      break;
    case "genesysNoExt":
      statements = [st(genesysPrincipal())];
      break;
    case "crossAccount": {
      const p = { AWS: rng.chance(0.6) ? `arn:aws:iam::${rng.account()}:root` : `arn:aws:iam::${rng.account()}:role/${name(rng)}` };
      statements = [st(p, "sts:AssumeRole", rng.chance(0.5) ? { StringEquals: { "sts:ExternalId": rng.hex(16, false) } } : undefined)];
      break;
    }
    case "oidc": {
      const acct = rng.account();
      statements = [
        st({ Federated: `arn:aws:iam::${acct}:oidc-provider/token.actions.githubusercontent.com` }, "sts:AssumeRoleWithWebIdentity", {
          StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
          StringLike: { "token.actions.githubusercontent.com:sub": rng.chance(0.85) ? `repo:${rng.pick(WORDS)}-org/${name(rng)}:ref:refs/heads/main` : "repo:*" },
        }),
      ];
      break;
    }
    case "saml":
      statements = [
        st({ Federated: `arn:aws:iam::${rng.account()}:saml-provider/Okta` }, "sts:AssumeRoleWithSAML", {
          StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" },
        }),
      ];
      break;
    case "star":
      statements = [st(rng.chance(0.5) ? "*" : { AWS: "*" })];
      break;
    default:
      statements = [st({ Service: "lambda.amazonaws.com" }), st(genesysPrincipal(), ["sts:AssumeRole", "sts:TagSession"], rng.chance(0.6) ? { StringEquals: { "sts:ExternalId": rng.uuid() } } : undefined)];
  }
  if (rng.chance(0.3)) statements[0] = { Sid: rng.pick(["AllowAssume", "Trust", "GenesysCloudTrust", "AssumeRole"]), ...statements[0] };
  return { Version: "2012-10-17", Statement: statements };
}

// ---------------------------------------------------------------------------
// CloudFormation

const LAMBDA_CODE_PY = (w) => `import json
import os
import boto3

TABLE = os.environ.get("TABLE_NAME")


def handler(event, context):
    # ${w} lookup called from a Genesys Cloud data action
    print(json.dumps(event))
    return {"statusCode": 200, "body": json.dumps({"ok": True})}
`;
const LAMBDA_CODE_JS = (w) => `exports.handler = async (event) => {
  // ${w} handler
  console.log(JSON.stringify(event));
  return { statusCode: 200, body: JSON.stringify({ ok: true }) };
};
`;

/**
 * Builds a CloudFormation template with about `target` resources.
 * flavor "cfn" = hand-written template (Parameters, Conditions, short names);
 * flavor "cdk" = synthesised by the CDK (hashed logical ids, aws:cdk:path metadata,
 * separate DefaultPolicy resources, CDKMetadata, BootstrapVersion rule).
 */
export function cfnTemplate(rng, target, flavor = "cfn", stackName = "Stack") {
  const cdk = flavor === "cdk";
  const Resources = {};
  const used = new Set();
  const logicalId = (...parts) => {
    let base = pascal(...parts);
    if (cdk) base += rng.hex(8);
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}${i}`;
    used.add(id);
    return id;
  };
  const add = (id, type, props, extra = {}, cdkPath = null) => {
    const r = { Type: type };
    if (extra.Condition) r.Condition = extra.Condition;
    if (extra.DependsOn) r.DependsOn = extra.DependsOn;
    r.Properties = props;
    if (extra.DeletionPolicy) {
      r.UpdateReplacePolicy = extra.DeletionPolicy;
      r.DeletionPolicy = extra.DeletionPolicy;
    }
    if (cdk) r.Metadata = { "aws:cdk:path": `${stackName}/${cdkPath ?? id}/Resource` };
    Resources[id] = r;
    return id;
  };
  const count = () => Object.keys(Resources).length;
  const hasConditions = !cdk && rng.chance(0.5);

  // Shared data resources that functions reference.
  const refs = {};
  const dataUnit = () => {
    const w = rng.pick(WORDS);
    const r = rng.float();
    if (r < 0.35) {
      const id = logicalId(w, "Bucket");
      const props = {
        BucketName: cdk ? undefined : Sub(`\${AWS::StackName}-${w}-\${AWS::AccountId}`),
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: rng.chance(0.7) ? "AES256" : "aws:kms" } }] },
        PublicAccessBlockConfiguration: rng.chance(0.85)
          ? { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }
          : undefined,
        VersioningConfiguration: rng.chance(0.5) ? { Status: "Enabled" } : undefined,
        Tags: [{ Key: "project", Value: w }],
      };
      add(id, "AWS::S3::Bucket", clean(props), { DeletionPolicy: "Retain" }, `${pascal(w)}Bucket`);
      refs.bucket = id;
      if (rng.chance(0.5)) {
        add(logicalId(w, "BucketPolicy"), "AWS::S3::BucketPolicy", {
          Bucket: Ref(id),
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [GetAtt(`${id}.Arn`), rng.chance(0.5) ? Join("", [GetAtt(`${id}.Arn`), "/*"]) : Sub(`\${${id}.Arn}/*`)],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
              ...(rng.chance(0.2) ? [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${rng.account()}:root` }, Action: "s3:GetObject", Resource: Sub(`\${${id}.Arn}/*`) }] : []),
            ],
          },
        }, {}, `${pascal(w)}Bucket/Policy`);
      }
    } else if (r < 0.65) {
      const dlq = logicalId(w, "DeadLetterQueue");
      add(dlq, "AWS::SQS::Queue", { MessageRetentionPeriod: 1209600 }, {}, `${pascal(w)}DLQ`);
      const q = logicalId(w, "Queue");
      add(q, "AWS::SQS::Queue", clean({
        QueueName: cdk ? undefined : Sub(`\${AWS::StackName}-${w}`),
        VisibilityTimeout: rng.pick([30, 60, 300]),
        KmsMasterKeyId: rng.chance(0.6) ? "alias/aws/sqs" : undefined,
        RedrivePolicy: { deadLetterTargetArn: GetAtt(`${dlq}.Arn`), maxReceiveCount: rng.int(3, 10) },
      }), {}, `${pascal(w)}Queue`);
      refs.queue = q;
      if (rng.chance(0.4)) {
        add(logicalId(w, "QueuePolicy"), "AWS::SQS::QueuePolicy", {
          Queues: [Ref(q)],
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: GetAtt(`${q}.Arn`), Condition: { ArnEquals: { "aws:SourceArn": refs.topic ? Ref(refs.topic) : Sub("arn:aws:sns:${AWS::Region}:${AWS::AccountId}:*") } } }],
          },
        }, {}, `${pascal(w)}Queue/Policy`);
      }
    } else if (r < 0.85) {
      const id = logicalId(w, "Table");
      add(id, "AWS::DynamoDB::Table", {
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: rng.chance(0.6) },
      }, { DeletionPolicy: cdk ? "Retain" : undefined }, `${pascal(w)}Table`);
      refs.table = id;
    } else {
      const id = logicalId(w, "Topic");
      add(id, "AWS::SNS::Topic", clean({ TopicName: cdk ? undefined : Sub(`\${AWS::StackName}-${w}`), KmsMasterKeyId: rng.chance(0.5) ? "alias/aws/sns" : undefined }), {}, `${pascal(w)}Topic`);
      refs.topic = id;
    }
  };

  /** Role + policy + function + log group, sometimes a permission and a URL. */
  const functionUnit = () => {
    const w = rng.pick(WORDS);
    const fnName = `${pascal(w)}Function`;
    const role = logicalId(w, cdk ? "FunctionServiceRole" : "Role");
    const genesys = rng.chance(0.2);
    const trust = genesys ? trustPolicy(rng, rng.chance(0.7) ? "genesysExt" : "genesysNoExt") : trustPolicy(rng, "service");
    if (!genesys) trust.Statement[0].Principal = { Service: "lambda.amazonaws.com" };
    if (genesys && hasConditions && rng.chance(0.5) && trust.Statement[0].Condition) {
      trust.Statement[0].Condition.StringEquals["sts:ExternalId"] = Ref("GenesysOrgId");
    }
    const roleProps = {
      AssumeRolePolicyDocument: trust,
      ManagedPolicyArns: [
        cdk
          ? Join("", ["arn:", Ref("AWS::Partition"), ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"])
          : Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
      ],
    };
    if (!cdk && rng.chance(0.4)) roleProps.RoleName = Sub(`\${AWS::StackName}-${w}-role`);
    const inlineDoc = templatePolicyDocument(rng, refs);
    if (!cdk && rng.chance(0.6)) roleProps.Policies = [{ PolicyName: `${w}-access`, PolicyDocument: inlineDoc }];
    add(role, "AWS::IAM::Role", roleProps, {}, `${fnName}/ServiceRole`);
    let policy = null;
    if (cdk || !roleProps.Policies) {
      policy = logicalId(w, cdk ? "FunctionServiceRoleDefaultPolicy" : "Policy");
      add(policy, "AWS::IAM::Policy", { PolicyDocument: inlineDoc, PolicyName: cdk ? policy : `${w}-policy`, Roles: [Ref(role)] }, {}, `${fnName}/ServiceRole/DefaultPolicy`);
    }
    const fn = logicalId(w, "Function");
    const runtime = rng.pick(RUNTIMES);
    const code = cdk || rng.chance(0.5)
      ? { S3Bucket: cdk ? Sub("cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}") : Ref("ArtifactBucket"), S3Key: `${rng.hex(64, false)}.zip` }
      : { ZipFile: runtime.startsWith("python") ? LAMBDA_CODE_PY(w) : LAMBDA_CODE_JS(w) };
    const env = {};
    if (refs.table) env.TABLE_NAME = Ref(refs.table);
    if (refs.queue) env.QUEUE_URL = Ref(refs.queue);
    if (refs.bucket) env.BUCKET = Ref(refs.bucket);
    if (rng.chance(0.1)) env.API_KEY = `sk_live_${rng.hex(24, false)}`;
    const fnProps = clean({
      FunctionName: cdk ? undefined : Sub(`\${AWS::StackName}-${w}`),
      Runtime: runtime,
      Handler: runtime.startsWith("python") ? "index.handler" : runtime.startsWith("java") ? "com.example.Handler::handleRequest" : "index.handler",
      Role: GetAtt(`${role}.Arn`),
      Code: code,
      Timeout: rng.pick([3, 10, 30, 60, 900]),
      MemorySize: rng.pick([128, 256, 512, 1024]),
      Environment: Object.keys(env).length ? { Variables: env } : undefined,
      ReservedConcurrentExecutions: hasConditions && rng.chance(0.3) ? If("IsProd", 50, Ref("AWS::NoValue")) : undefined,
      TracingConfig: rng.chance(0.3) ? { Mode: "Active" } : undefined,
    });
    add(fn, "AWS::Lambda::Function", fnProps, { DependsOn: policy ? [policy, role] : [role] }, fnName);
    if (!cdk && rng.chance(0.5)) {
      add(logicalId(w, "LogGroup"), "AWS::Logs::LogGroup", { LogGroupName: Sub(`/aws/lambda/\${${fn}}`), RetentionInDays: rng.pick([7, 14, 30, 90]) });
    }
    // Invocation permissions: API Gateway, S3, a Genesys-facing account, or (badly) anyone.
    if (rng.chance(0.55)) {
      const p = rng.weighted({ apigw: 40, s3: 20, account: 20, url: 12, star: 8 });
      const props = { Action: "lambda:InvokeFunction", FunctionName: rng.chance(0.5) ? GetAtt(`${fn}.Arn`) : Ref(fn) };
      if (p === "apigw") Object.assign(props, { Principal: "apigateway.amazonaws.com", SourceArn: Sub("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:*/*/*/*") });
      if (p === "s3") Object.assign(props, { Principal: "s3.amazonaws.com", SourceAccount: Ref("AWS::AccountId") });
      if (p === "account") Object.assign(props, { Principal: rng.chance(0.5) ? GENESYS_ACCOUNT : rng.account() });
      if (p === "url") Object.assign(props, { Action: "lambda:InvokeFunctionUrl", Principal: "*", FunctionUrlAuthType: "NONE" });
      if (p === "star") Object.assign(props, { Principal: "*" });
      add(logicalId(w, "Permission"), "AWS::Lambda::Permission", props, {}, `${fnName}/Invoke`);
      if (p === "url") {
        add(logicalId(w, "FunctionUrl"), "AWS::Lambda::Url", {
          TargetFunctionArn: GetAtt(`${fn}.Arn`),
          AuthType: rng.chance(0.7) ? "NONE" : "AWS_IAM",
          Cors: { AllowOrigins: [rng.chance(0.5) ? "*" : "https://apps.mypurecloud.com"], AllowMethods: ["POST"] },
        }, {}, `${fnName}/FunctionUrl`);
      }
    }
    if (rng.chance(0.15) && refs.queue) {
      add(logicalId(w, "EventSourceMapping"), "AWS::Lambda::EventSourceMapping", { EventSourceArn: GetAtt(`${refs.queue}.Arn`), FunctionName: Ref(fn), BatchSize: 10 }, {}, `${fnName}/SqsEventSource`);
    }
  };

  // Roles for Genesys / other integrations, with no function attached.
  const integrationRole = () => {
    const w = rng.pick(WORDS);
    const id = logicalId("Genesys", w, "Role");
    add(id, "AWS::IAM::Role", clean({
      RoleName: cdk ? undefined : Sub(`genesys-${w}-\${AWS::Region}`),
      AssumeRolePolicyDocument: trustPolicy(rng, rng.pick(["genesysExt", "genesysExt", "genesysNoExt", "crossAccount", "multi"])),
      Policies: [{ PolicyName: "invoke", PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: rng.chance(0.7) ? Sub(`arn:aws:lambda:\${AWS::Region}:\${AWS::AccountId}:function:\${AWS::StackName}-*`) : "*" }] } }],
    }), {}, `Genesys${pascal(w)}Role`);
  };

  while (count() < target) {
    const r = rng.float();
    if (r < 0.35) dataUnit();
    else if (r < 0.9) functionUnit();
    else integrationRole();
  }

  const template = {};
  if (!cdk) {
    template.AWSTemplateFormatVersion = "2010-09-09";
    template.Description = `${cap(rng.pick(WORDS))} ${rng.pick(WORDS)} integration stack (synthetic)`;
    template.Parameters = {
      Env: { Type: "String", Default: "dev", AllowedValues: ["dev", "test", "prod"] },
      GenesysOrgId: { Type: "String", Description: "Genesys Cloud organisation id, used as the sts:ExternalId" },
      ArtifactBucket: { Type: "String" },
    };
    if (hasConditions) template.Conditions = { IsProd: Equals(Ref("Env"), "prod"), IsNotProd: Not(Equals(Ref("Env"), "prod")) };
  }
  template.Resources = Resources;
  if (cdk) {
    Resources.CDKMetadata = {
      Type: "AWS::CDK::Metadata",
      Properties: { Analytics: `v2:deflate64:H4sIAAAAAAAA/${rng.hex(60, false)}` },
      Metadata: { "aws:cdk:path": `${stackName}/CDKMetadata/Default` },
    };
    template.Parameters = {
      BootstrapVersion: {
        Type: "AWS::SSM::Parameter::Value<String>",
        Default: "/cdk-bootstrap/hnb659fds/version",
        Description: "Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]",
      },
    };
    template.Rules = {
      CheckBootstrapVersion: {
        Assertions: [{ Assert: Not(new Fn("Contains", [["1", "2", "3", "4", "5"], Ref("BootstrapVersion")])), AssertDescription: "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI." }],
      },
    };
  }
  // Outputs: ARNs for the data action config, with Export names.
  const Outputs = {};
  for (const [id, r] of Object.entries(Resources).slice(0, 12)) {
    if (r.Type === "AWS::Lambda::Function" || r.Type === "AWS::IAM::Role") {
      Outputs[`${id}Arn`] = { Value: GetAtt(`${id}.Arn`), Export: { Name: cdk ? `${stackName}:${id}Arn` : Sub(`\${AWS::StackName}-${id}Arn`) } };
    }
  }
  if (!cdk && rng.chance(0.2)) Outputs.FirstAz = { Value: Select(0, GetAZs("")) };
  if (!cdk && rng.chance(0.1)) Outputs.SharedVpc = { Value: ImportValue("network-VpcId") };
  if (Object.keys(Outputs).length) template.Outputs = Outputs;
  return template;
}

/** Drops undefined properties (so optional properties can be written inline). */
function clean(obj) {
  for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k];
  return obj;
}

/**
 * Resource count for one template: most small, some medium, a few big (50-500).
 * Calibrated so mean file sizes stay close to the real corpus (cfn YAML ~3 KB,
 * cfn JSON/CDK larger): hand-written YAML is rarely big, while generated JSON
 * (SAM/CDK output) carries the 200-500-resource tail.
 */
export function templateSize(rng, flavor = "json") {
  const x = rng.float();
  if (flavor === "yaml") {
    if (x < 0.015) return rng.int(50, 120);
    if (x < 0.12) return rng.int(7, 25);
    return rng.int(2, 6);
  }
  if (x < 0.025) return rng.int(200, 500);
  if (x < 0.1) return rng.int(50, 150);
  if (x < 0.28) return rng.int(9, 40);
  return rng.int(2, 8);
}

// ---------------------------------------------------------------------------
// CDK cloud assembly

/** Returns [{path, text}] for one cdk.out directory with the given stack names. */
export function cdkAssembly(rng, stackNames, { tree = true, assets = true, versionFile = true } = {}) {
  const files = [];
  const artifacts = {};
  const version = rng.pick(["36.0.0", "38.0.1", "39.0.0", "41.0.0"]);
  for (const stack of stackNames) {
    const size = templateSize(rng, "json");
    const template = cfnTemplate(rng, size, "cdk", stack);
    files.push({ path: `${stack}.template.json`, text: JSON.stringify(template, null, 1) + "\n" });
    const metadata = {};
    for (const [id, r] of Object.entries(template.Resources)) {
      metadata[`/${r.Metadata["aws:cdk:path"]}`] = [{ type: "aws:cdk:logicalId", data: id }];
    }
    if (assets) {
      artifacts[`${stack}.assets`] = { type: "cdk:asset-manifest", properties: { file: `${stack}.assets.json`, requiresBootstrapStackVersion: 6, bootstrapStackVersionSsmParameter: "/cdk-bootstrap/hnb659fds/version" } };
      const hash = rng.hex(64, false);
      files.push({
        path: `${stack}.assets.json`,
        text: JSON.stringify({ version, files: { [hash]: { source: { path: `${stack}.template.json`, packaging: "file" }, destinations: { "current_account-current_region": { bucketName: "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}", objectKey: `${hash}.json`, assumeRoleArn: "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-file-publishing-role-${AWS::AccountId}-${AWS::Region}" } } } }, dockerImages: {} }, null, 2) + "\n",
      });
    }
    artifacts[stack] = {
      type: "aws:cloudformation:stack",
      environment: "aws://unknown-account/unknown-region",
      properties: {
        templateFile: `${stack}.template.json`,
        terminationProtection: false,
        validateOnSynth: false,
        assumeRoleArn: "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-deploy-role-${AWS::AccountId}-${AWS::Region}",
        cloudFormationExecutionRoleArn: "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}",
        stackTemplateAssetObjectUrl: `s3://cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}/${rng.hex(64, false)}.json`,
        requiresBootstrapStackVersion: 6,
        bootstrapStackVersionSsmParameter: "/cdk-bootstrap/hnb659fds/version",
        additionalDependencies: assets ? [`${stack}.assets`] : [],
      },
      dependencies: assets ? [`${stack}.assets`] : [],
      metadata,
      displayName: stack,
    };
  }
  if (tree) {
    artifacts.Tree = { type: "cdk:tree", properties: { file: "tree.json" } };
    const children = {};
    for (const s of stackNames) children[s] = { id: s, path: s, constructInfo: { fqn: "aws-cdk-lib.Stack", version: "2.150.0" } };
    files.push({ path: "tree.json", text: JSON.stringify({ version: "tree-0.1", tree: { id: "App", path: "", children, constructInfo: { fqn: "aws-cdk-lib.App", version: "2.150.0" } } }, null, 2) + "\n" });
  }
  files.push({ path: "manifest.json", text: JSON.stringify({ version, artifacts }, null, 2) + "\n" });
  if (versionFile) files.push({ path: "cdk.out", text: JSON.stringify({ version }) + "\n" });
  return files;
}

// ---------------------------------------------------------------------------
// Genesys Cloud data action exports

function schema(rng, props) {
  const properties = {};
  for (const p of props) properties[p] = { type: rng.chance(0.85) ? "string" : rng.pick(["integer", "boolean", "number"]), description: `The ${p}.` };
  const s = { $schema: "http://json-schema.org/draft-04/schema#", type: "object", properties, additionalProperties: true };
  if (rng.chance(0.6)) s.required = props.slice(0, 1);
  if (rng.chance(0.3)) delete s.$schema;
  return s;
}

/** One data action export: AWS Lambda, custom REST or Genesys platform API. */
export function dataAction(rng) {
  const type = rng.weighted({ lambda: 45, rest: 40, purecloud: 15 });
  const words = rng.sample(WORDS, 2);
  const title = `${rng.pick(["Get", "Update", "Lookup", "Create", "Send", "Check"])} ${cap(words[0])} ${cap(words[1])}`;
  const inputs = rng.sample(["conversationId", "phoneNumber", "customerId", "queueId", "email", "ani", "dnis", "language"], rng.int(1, 4));
  const outputs = rng.sample(["status", "customerName", "priority", "accountId", "tier", "balance", "message", "found"], rng.int(1, 5));
  const translationMap = {};
  const defaults = {};
  for (const o of outputs) {
    translationMap[o] = `$.${o}`;
    defaults[o] = '""';
  }
  const successTemplate = `{${outputs.map((o) => `"${o}": \${${o}}`).join(", ")}}`;
  let request;
  let integrationType;
  if (type === "lambda") {
    integrationType = "aws-lambda-data-actions";
    const region = rng.pick(REGIONS);
    const qualifier = rng.chance(0.3) ? `:${rng.pick(["prod", "live", "$LATEST", "1"])}` : "";
    request = {
      requestUrlTemplate: `arn:aws:lambda:${region}:${rng.account()}:function:${words.join("-")}${qualifier}`,
      requestType: "POST",
      headers: {},
      requestTemplate: rng.chance(0.7) ? "${input.rawRequest}" : `{${inputs.map((i) => `"${i}": "\${input.${i}}"`).join(", ")}}`,
    };
  } else if (type === "rest") {
    integrationType = "custom-rest-actions";
    const insecure = rng.chance(0.08);
    const host = rng.pick(["api.example-crm.com", "crm.contoso.io", `${words[0]}.execute-api.${rng.pick(REGIONS)}.amazonaws.com`, "hooks.internal.example.net"]);
    const headers = { "Content-Type": "application/json", UserAgent: "PureCloudIntegrations/1.0" };
    if (rng.chance(0.6)) headers.Authorization = "${authHeader}";
    if (rng.chance(0.1)) headers["x-api-key"] = rng.hex(32, false); // hard-coded secret
    request = {
      requestUrlTemplate: `${insecure ? "http" : "https"}://${host}/v${rng.int(1, 3)}/${words[0]}?${inputs[0]}=\${input.${inputs[0]}}`,
      requestType: rng.pick(["GET", "GET", "POST", "PUT", "PATCH"]),
      headers,
      requestTemplate: "${input.rawRequest}",
    };
  } else {
    integrationType = "purecloud-data-actions";
    request = {
      requestUrlTemplate: `/api/v2/conversations/\${input.${inputs[0]}}`,
      requestType: rng.pick(["GET", "POST", "PATCH"]),
      headers: { UserAgent: "PureCloudIntegrations/1.0" },
      requestTemplate: "${input.rawRequest}",
    };
  }
  const doc = {
    name: rng.chance(0.4) ? `${title} - Exported ${2020 + rng.int(0, 5)}-0${rng.int(1, 9)}-1${rng.int(0, 9)} @ ${rng.int(10, 23)}:${rng.int(10, 59)}` : title,
    integrationType,
    actionType: "custom",
    config: {
      request,
      response: { translationMap, translationMapDefaults: defaults, successTemplate },
    },
    contract: {
      input: { inputSchema: schema(rng, inputs) },
      output: { successSchema: schema(rng, outputs) },
    },
    secure: rng.chance(0.25),
  };
  return { doc, fileName: `${title.replace(/ /g, "-")}${rng.chance(0.5) ? ".custom" : ""}` };
}

// ---------------------------------------------------------------------------
// Unrelated project files (the analyzer must skip them)

/** Returns [{path, text}] for one small project directory (package.json, tsconfig, CI workflow, ...). */
export function projectFiles(rng) {
  const w = name(rng);
  const files = [];
  files.push({
    path: "package.json",
    text: JSON.stringify({
      name: w,
      version: `${rng.int(0, 3)}.${rng.int(0, 20)}.${rng.int(0, 9)}`,
      private: true,
      type: rng.chance(0.5) ? "module" : "commonjs",
      scripts: { build: "tsc", test: "vitest run", synth: "cdk synth", deploy: "cdk deploy --all" },
      dependencies: { "aws-cdk-lib": "^2.150.0", constructs: "^10.3.0", "@aws-sdk/client-dynamodb": "^3.600.0" },
      devDependencies: { typescript: "~5.5.0", vitest: "^2.0.0", "aws-cdk": "^2.150.0" },
    }, null, 2) + "\n",
  });
  files.push({
    path: "tsconfig.json",
    text: JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "dist", declaration: true, skipLibCheck: true }, include: ["src", "bin", "lib"], exclude: ["node_modules", "cdk.out"] }, null, 2) + "\n",
  });
  files.push({
    path: ".github/workflows/ci.yml",
    text: `name: CI
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
  id-token: write
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: ${rng.pick(["18", "20", "22"])}
          cache: npm
      - run: npm ci
      - run: npm test
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::${rng.account()}:role/github-deploy
          aws-region: ${rng.pick(REGIONS)}
      - run: npx cdk synth
`,
  });
  files.push({
    path: "docker-compose.yml",
    text: `services:\n  localstack:\n    image: localstack/localstack:3\n    ports:\n      - "4566:4566"\n    environment:\n      - SERVICES=s3,sqs,lambda,dynamodb\n      - DEBUG=${rng.int(0, 1)}\n`,
  });
  files.push({ path: ".vscode/settings.json", text: JSON.stringify({ "editor.formatOnSave": true, "typescript.tsdk": "node_modules/typescript/lib" }, null, 2) + "\n" });
  files.push({ path: "cdk.json", text: JSON.stringify({ app: "npx ts-node --prefer-ts-exts bin/app.ts", context: { "@aws-cdk/core:stackRelativeExports": true } }, null, 2) + "\n" });
  // A dependency folder the walker must not enter.
  files.push({ path: `node_modules/${w}-utils/package.json`, text: JSON.stringify({ name: `${w}-utils`, version: "1.0.0", main: "index.js" }, null, 2) + "\n" });
  files.push({ path: `node_modules/${w}-utils/policy.json`, text: JSON.stringify(identityPolicy(rng), null, 2) + "\n" });
  return files;
}

// Re-exported so generate.mjs can build the one-file cases.
export { Ref, GetAtt, Sub, Join, If };
