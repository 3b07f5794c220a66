import { describe, it, expect } from "vitest";
import {
  awsEndpointKind,
  checkLambdaDataActionUrl,
  isInsecureHttp,
  isSecretHeaderName,
  isSecretQueryName,
  literalSecretInHeader,
  literalSecretsInUrl,
  looksLikePlaceholder,
  redact,
  safeForMessage,
} from "../../src/model/data-action-checks.js";

/** The text a hit points at. */
function at(s: string, hit: { start: number; end: number } | undefined): string | undefined {
  return hit && s.slice(hit.start, hit.end);
}

describe("isSecretHeaderName", () => {
  it("accepts credential-carrying header names, case-insensitively", () => {
    for (const n of [
      "Authorization",
      "authorization",
      "Proxy-Authorization",
      "X-API-Key",
      "x-api-key",
      "X-Api_Key",
      "apikey",
      "Api-Key",
      "X-Auth-Token",
      "x-access-token",
      "Client-Secret",
      "X-Client-Secret",
      "X-Password",
      "x-amz-security-token",
      "Ocp-Apim-Subscription-Key",
      "x-functions-key",
      " Authorization ",
    ]) {
      expect(isSecretHeaderName(n), n).toBe(true);
    }
  });

  it("rejects ordinary header names (corpus headers included)", () => {
    for (const n of ["Content-Type", "Accept", "UserAgent", "User-Agent", "Idempotency-Key", "X-Correlation-Id", "Host", ""]) {
      expect(isSecretHeaderName(n), n).toBe(false);
    }
  });

  it("rejects names that describe a credential rather than carry one", () => {
    for (const n of ["x-amazon-apigateway-api-key-source", "X-Token-Type", "X-Secret-Name", "X-Api-Key-Id", "X-Token-Expires-In"]) {
      expect(isSecretHeaderName(n), n).toBe(false);
    }
    // ...while the credential itself still is one.
    for (const n of ["X-Api-Key", "X-Secret", "X-Auth-Token", "X-Session-Token"]) expect(isSecretHeaderName(n), n).toBe(true);
  });
});

describe("literalSecretInHeader", () => {
  it("is clean for values built from ${credentials.*}", () => {
    expect(literalSecretInHeader("Authorization", "Bearer ${credentials.token}")).toBeUndefined();
    expect(literalSecretInHeader("Authorization", "Bearer $credentials.token")).toBeUndefined();
    expect(literalSecretInHeader("X-API-Key", "${credentials.apiKey}")).toBeUndefined();
    expect(literalSecretInHeader("Authorization", 'Basic $encodeBase64("${credentials.user}:${credentials.pass}")')).toBeUndefined();
    expect(literalSecretInHeader("Authorization", "Basic $encodeBase64(\"${credentials.clientId}:${credentials.clientSecret}\")")).toBeUndefined();
    expect(literalSecretInHeader("Authorization", "Bearer $${credentials.token}")).toBeUndefined(); // Terraform escape
  });

  it("is clean for values taken from flow input or Terraform variables", () => {
    expect(literalSecretInHeader("Authorization", "${input.token}")).toBeUndefined();
    expect(literalSecretInHeader("Authorization", "Bearer ${input.token}")).toBeUndefined();
    expect(literalSecretInHeader("X-Auth-Token", "$!{input.token}")).toBeUndefined();
    expect(literalSecretInHeader("Authorization", "Bearer ${var.api_token}")).toBeUndefined();
  });

  it("is clean for a literal user name with a credentials password", () => {
    expect(literalSecretInHeader("Authorization", 'Basic $encodeBase64("admin:${credentials.password}")')).toBeUndefined();
  });

  it("is clean for empty values, scheme words and placeholders", () => {
    for (const v of ["", "   ", "Bearer ", "Bearer", "Basic", "Bearer <token>", "YOUR_API_KEY", "Bearer {{token}}", "Bearer xxxxxxxx", "REPLACE_ME", "abc"]) {
      expect(literalSecretInHeader("Authorization", v), v).toBeUndefined();
    }
  });

  it("is clean for non-secret headers whatever their value (corpus: UserAgent, Content-Type)", () => {
    expect(literalSecretInHeader("UserAgent", "PureCloudIntegrations/1.0")).toBeUndefined();
    expect(literalSecretInHeader("Content-Type", "application/json")).toBeUndefined();
  });

  it("reports a literal bearer token, pointing after the scheme", () => {
    const v = "Bearer abc123def456";
    const hit = literalSecretInHeader("Authorization", v);
    expect(hit).toEqual({ start: 7, end: 19, kind: "header", name: "Authorization" });
    expect(at(v, hit)).toBe("abc123def456");
  });

  it("reports a literal Basic credential and a literal token with an unknown scheme", () => {
    expect(at("Basic dXNlcjpodW50ZXIy", literalSecretInHeader("Authorization", "Basic dXNlcjpodW50ZXIy"))).toBe("dXNlcjpodW50ZXIy");
    expect(at("SSWS 00abcDEF1234", literalSecretInHeader("Authorization", "SSWS 00abcDEF1234"))).toBe("00abcDEF1234");
    expect(at("Custom k1k2k3k4", literalSecretInHeader("Authorization", "Custom k1k2k3k4"))).toBe("k1k2k3k4");
  });

  it("reports a whole literal value in an API key header", () => {
    const v = "  9f8e7d6c5b4a  ";
    expect(at(v, literalSecretInHeader("X-API-Key", v))).toBe("9f8e7d6c5b4a");
    expect(at("sk_live_51Habc", literalSecretInHeader("x-api-key", "sk_live_51Habc"))).toBe("sk_live_51Habc");
  });

  it("reports a literal inside a template expression", () => {
    const v = 'Basic $encodeBase64("user:hunter2")';
    const hit = literalSecretInHeader("Authorization", v);
    expect(hit?.kind).toBe("header");
    expect(at(v, hit)).toBe("hunter2");

    const v2 = '$encodeBase64("${credentials.user}:hunter2")';
    expect(at(v2, literalSecretInHeader("Authorization", v2))).toBe("hunter2");

    const v3 = '$encodeBase64("s3cr3tT0ken")';
    expect(at(v3, literalSecretInHeader("X-Secret", v3))).toBe("s3cr3tT0ken");
  });

  it("ignores string arguments of methods called on references", () => {
    expect(literalSecretInHeader("Authorization", "${input.auth.replace('Bearer ', '')}")).toBeUndefined();
  });
});

describe("isSecretQueryName", () => {
  it("matches credential parameter names", () => {
    for (const n of ["key", "KEY", "token", "apikey", "api_key", "api-key", "access_token", "client_secret", "secret", "password", "code", "sig", "subscription-key", "auth_token"]) {
      expect(isSecretQueryName(n), n).toBe(true);
    }
  });
  it("does not match ordinary names", () => {
    for (const n of ["q", "id", "page", "keyword", "monkey", "limit", "state", "conversationId"]) {
      expect(isSecretQueryName(n), n).toBe(false);
    }
  });
});

describe("literalSecretsInUrl", () => {
  it("reports literal secret query values with offsets and names", () => {
    const u = "https://api.example.com/v1/lookup?id=${input.id}&key=AIzaSyA1b2C3d4&access_token=tok_9876543210";
    const hits = literalSecretsInUrl(u);
    expect(hits.map((h) => [h.name, h.kind, u.slice(h.start, h.end)])).toEqual([
      ["key", "query", "AIzaSyA1b2C3d4"],
      ["access_token", "query", "tok_9876543210"],
    ]);
  });

  it("is clean for credentials and input values", () => {
    expect(literalSecretsInUrl("https://x.example.com/a?key=${credentials.key}")).toEqual([]);
    expect(literalSecretsInUrl("https://x.example.com/a?code=${input.code}")).toEqual([]);
    expect(literalSecretsInUrl("https://x.example.com/a?token=$esc.url(${credentials.token})&apikey=$credentials.k")).toEqual([]);
    expect(literalSecretsInUrl("https://x.example.com/a?api_key=$${credentials.key}")).toEqual([]);
  });

  it("is clean without a query, with non-secret names, placeholders or short values", () => {
    expect(literalSecretsInUrl("https://apps.mypurecloud.com:443/webhooks/api/v1/webhook/d7a2ea24-d582-4513-b8da-a0b22bf2204a")).toEqual([]);
    expect(literalSecretsInUrl("/api/v2/conversations/${input.conversationId}")).toEqual([]);
    expect(literalSecretsInUrl("https://x/a?q=abcdefgh&page=2")).toEqual([]);
    expect(literalSecretsInUrl("https://x/a?key=YOUR_API_KEY&token=<token>&apikey=")).toEqual([]);
    expect(literalSecretsInUrl("https://x/a?key=abc")).toEqual([]);
  });

  it("reports a literal in a tool call and stops at the fragment", () => {
    const u = 'https://x/a?api_key=$esc.url("zzzz9999")#key=abcdefgh';
    const hits = literalSecretsInUrl(u);
    expect(hits).toHaveLength(1);
    expect(hits[0]?.name).toBe("api_key");
    expect(u.slice(hits[0]?.start, hits[0]?.end)).toBe("zzzz9999");
  });

  it("only splits on & and = outside expressions", () => {
    const u = "https://x/a?q=${input.a.replace('&key=', '')}&token=abcd1234efgh";
    const hits = literalSecretsInUrl(u);
    expect(hits.map((h) => [h.name, u.slice(h.start, h.end)])).toEqual([["token", "abcd1234efgh"]]);
  });
});

describe("redact", () => {
  it("keeps only the length", () => {
    expect(redact("abc123def456ghi789jkl012")).toBe("[REDACTED 24 chars]");
    expect(redact("x")).toBe("[REDACTED 1 char]");
    expect(redact("")).toBe("[REDACTED 0 chars]");
  });

  it("never contains a 4+ character substring of the secret", () => {
    const secrets = [
      "sk_live_51HqLyjWDarjtT1zdp7dc",
      "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
      "AKIAIOSFODNN7EXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "hunter2hunter2",
      "Bearer abc123def456",
    ];
    for (const secret of secrets) {
      const r = redact(secret);
      for (let i = 0; i + 4 <= secret.length; i++) {
        expect(r.includes(secret.slice(i, i + 4)), `${r} vs ${secret.slice(i, i + 4)}`).toBe(false);
      }
    }
  });
});

describe("awsEndpointKind", () => {
  it("recognizes Lambda function URLs", () => {
    expect(awsEndpointKind("https://abcdefghij1234567890klmnopqr.lambda-url.us-east-1.on.aws/")).toEqual({
      kind: "lambda-function-url",
      host: "abcdefghij1234567890klmnopqr.lambda-url.us-east-1.on.aws",
    });
    expect(awsEndpointKind("HTTPS://ABC.LAMBDA-URL.EU-WEST-1.ON.AWS/path?x=1")?.kind).toBe("lambda-function-url");
  });

  it("recognizes API Gateway endpoints, including China and templated hosts", () => {
    expect(awsEndpointKind("https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/lookup")).toEqual({
      kind: "api-gateway",
      host: "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
    });
    expect(awsEndpointKind("https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/prod")?.kind).toBe("api-gateway");
    expect(awsEndpointKind("https://${input.apiId}.execute-api.${input.region}.amazonaws.com/prod")).toEqual({
      kind: "api-gateway",
      host: "${input.apiId}.execute-api.${input.region}.amazonaws.com",
    });
    expect(awsEndpointKind("  https://user:pw@a1b2.execute-api.us-east-1.amazonaws.com:443/x")?.host).toBe(
      "a1b2.execute-api.us-east-1.amazonaws.com",
    );
    expect(awsEndpointKind("http://a1b2.execute-api.us-east-1.amazonaws.com/prod/${input.path}")?.kind).toBe("api-gateway");
  });

  it("ignores other hosts and relative paths (corpus URLs included)", () => {
    for (const u of [
      "https://apps.mypurecloud.com:443/webhooks/api/v1/webhook/d7a2ea24-d582-4513-b8da-a0b22bf2204a",
      "/api/v2/conversations/${input.conversationId}/disconnect",
      "https://example.com/execute-api.us-east-1.amazonaws.com",
      "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/x/invocations",
      "https://evil.com/?u=x.lambda-url.us-east-1.on.aws",
      "arn:aws:lambda:us-east-1:123456789012:function:f",
      "${input.url}",
      "",
    ]) {
      expect(awsEndpointKind(u), u).toBeUndefined();
    }
  });
});

describe("isInsecureHttp", () => {
  it("flags http:// URLs", () => {
    expect(isInsecureHttp("http://api.example.com/x")).toBe(true);
    expect(isInsecureHttp("HTTP://api.example.com/x")).toBe(true);
    expect(isInsecureHttp("  http://${input.host}/x")).toBe(true);
  });
  it("does not flag https, relative Genesys paths or templates", () => {
    expect(isInsecureHttp("https://api.example.com")).toBe(false);
    expect(isInsecureHttp("/api/v2/conversations/${input.conversationId}")).toBe(false);
    expect(isInsecureHttp("${input.url}")).toBe(false);
    expect(isInsecureHttp("https://x/?next=http://y")).toBe(false);
  });
});

describe("checkLambdaDataActionUrl", () => {
  it("accepts Lambda function ARNs, with or without qualifier", () => {
    expect(checkLambdaDataActionUrl("arn:aws:lambda:us-east-1:123456789012:function:order-status")).toEqual({
      ok: true,
      arn: { partition: "aws", region: "us-east-1", account: "123456789012", functionName: "order-status" },
    });
    expect(checkLambdaDataActionUrl("arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST").arn?.qualifier).toBe("$LATEST");
    expect(checkLambdaDataActionUrl("arn:aws:lambda:eu-west-1:123456789012:function:fn:7").arn?.qualifier).toBe("7");
    expect(checkLambdaDataActionUrl("arn:aws:lambda:eu-west-1:123456789012:function:fn:live_Alias-1").ok).toBe(true);
    expect(checkLambdaDataActionUrl("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:fn").arn?.partition).toBe("aws-us-gov");
    expect(checkLambdaDataActionUrl("arn:aws-cn:lambda:cn-north-1:123456789012:function:fn").ok).toBe(true);
  });

  it("treats template expressions and Terraform interpolation as unknown (ok)", () => {
    for (const v of [
      "${input.fn}",
      "arn:aws:lambda:us-east-1:${input.account}:function:${input.fn}",
      "$${var.lambda_arn}",
      "${aws_lambda_function.lookup.arn}",
      "arn:aws:lambda:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:function:x",
      "arn:aws:lambda:us-east-1:${AWS::AccountId}:function:x",
      "%{if true}arn%{endif}",
    ]) {
      const r = checkLambdaDataActionUrl(v);
      expect(r.ok, v).toBe(true);
      expect(r.arn).toBeUndefined();
    }
  });

  it("rejects placeholders", () => {
    for (const v of ["your-lambda-function-arn", "<lambda arn>", "REPLACE_ME", "LAMBDA_ARN", "<YOUR_LAMBDA_ARN>"]) {
      const r = checkLambdaDataActionUrl(v);
      expect(r.ok, v).toBe(false);
      expect(r.reason, v).toMatch(/placeholder/);
    }
    expect(checkLambdaDataActionUrl("arn:aws:lambda:us-east-1:<account-id>:function:fn").reason).toMatch(/placeholder account/);
    expect(checkLambdaDataActionUrl("arn:aws:lambda:REGION:ACCOUNT:function:NAME").reason).toMatch(/placeholder region/);
    expect(checkLambdaDataActionUrl("arn:aws:lambda:us-east-1:123456789012:function:your-function-name").reason).toMatch(/placeholder function name/);
  });

  it("rejects URLs with a specific reason", () => {
    expect(checkLambdaDataActionUrl("https://api.example.com/lookup").reason).toBe("is an https URL, not a Lambda function ARN");
    expect(checkLambdaDataActionUrl("http://api.example.com/lookup").reason).toBe("is an http URL, not a Lambda function ARN");
    expect(checkLambdaDataActionUrl("https://abc.lambda-url.us-east-1.on.aws/").reason).toMatch(/^is a Lambda function URL, not a Lambda function ARN/);
    expect(checkLambdaDataActionUrl("https://a1b2.execute-api.us-east-1.amazonaws.com/prod").reason).toBe(
      "is an API Gateway URL, not a Lambda function ARN",
    );
  });

  it("rejects other services' ARNs and other Lambda resources", () => {
    expect(checkLambdaDataActionUrl("arn:aws:states:us-east-1:123456789012:stateMachine:flow").reason).toBe(
      "is an ARN of another service (states), not a Lambda function ARN",
    );
    expect(checkLambdaDataActionUrl("arn:aws:iam::123456789012:role/genesys").ok).toBe(false);
    expect(checkLambdaDataActionUrl("arn:aws:lambda:us-east-1:123456789012:layer:deps:3").reason).toBe(
      "is a Lambda layer ARN, not a function ARN",
    );
  });

  it("rejects partial or malformed ARNs", () => {
    const cases: [string, RegExp][] = [
      ["arn:aws:lambda:us-east-1:123456789012:function", /partial ARN/],
      ["arn:aws:lambda:us-east-1:123456789012:function:", /function name is missing/],
      ["arn:aws:lambda:us-east-1:123456789012", /partial ARN/],
      ["123456789012:function:fn", /partial ARN/],
      ["function:fn", /partial ARN/],
      ["arn:aws:lambda::123456789012:function:fn", /no region/],
      ["arn:aws:lambda:us-east-1:12345678901:function:fn", /not 12 digits/],
      ["arn:aws:lambda:us-east-1::function:fn", /no account/],
      ["arn:awz:lambda:us-east-1:123456789012:function:fn", /unknown partition/],
      ["arn:aws:lambda:us-east-1:123456789012:function:bad.name", /invalid function name/],
      ["arn:aws:lambda:us-east-1:123456789012:function:fn:a:b", /too many parts/],
      ["arn:aws:lambda:us-east-1:123456789012:function:fn:", /empty qualifier/],
      ["arn:aws:lambda:us-east-1:123456789012:function:fn:bad.alias", /invalid qualifier/],
      ["ARN:aws:lambda:us-east-1:123456789012:function:fn", /lowercase/],
      [" arn:aws:lambda:us-east-1:123456789012:function:fn", /whitespace/],
      ["arn:aws:lambda:us-east-1:123456789012:function:fn\n", /whitespace/],
      ["arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST ", /whitespace/],
      ["my-function", /function name, not a Lambda function ARN/],
      ["", /empty/],
      ["lambda please", /not a Lambda function ARN/],
    ];
    for (const [v, re] of cases) {
      const r = checkLambdaDataActionUrl(v);
      expect(r.ok, v).toBe(false);
      expect(r.reason, v).toMatch(re);
    }
  });
});

describe("looksLikePlaceholder", () => {
  it("recognizes common placeholders but not real-looking values", () => {
    for (const v of ["<token>", "{{apiKey}}", "YOUR_TOKEN", "your-api-key", "REPLACE_ME", "changeme", "xxxxxxxx", "****", "TODO", "API_KEY"]) {
      expect(looksLikePlaceholder(v), v).toBe(true);
    }
    for (const v of ["abc123def456", "sk_live_51Habc", "hunter2", "dXNlcjpodW50ZXIy"]) {
      expect(looksLikePlaceholder(v), v).toBe(false);
    }
  });
});

describe("safeForMessage", () => {
  it("redacts literal query secrets and URL user info, keeps references", () => {
    expect(safeForMessage("https://x.example.org/a?api_key=abcd1234efgh&id=${input.id}")).toBe("https://x.example.org/a?api_key=[REDACTED 12 chars]&id=${input.id}");
    expect(safeForMessage("https://user:s3cretPass@x.example.org/")).toBe("https://[REDACTED 15 chars]@x.example.org/");
    expect(safeForMessage("https://x.example.org/a?token=${credentials.token}")).toBe("https://x.example.org/a?token=${credentials.token}");
    expect(safeForMessage("a".repeat(200)).length).toBe(160);
  });
});
