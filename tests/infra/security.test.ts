/**
 * The AWS deployment's security settings, read from the synthesized templates: who may sign in and
 * how, what the API trusts, the keys the records and scans are encrypted with and who may use
 * them, logs that outlive a stack, the archive's CORS rule, and the Object Lock mode.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { objectLockMode } from '../../infra/app.ts';
import { topology, type Topology } from '../../infra/topology.ts';
import { officeFunctions, synth, type Statement, type Synthesized } from './synth.ts';

/** The real topology plus the two archive grants no function declares yet, so their key grants are pinned too. */
const fixture: Topology = {
  ...topology,
  tasks: {
    ...topology.tasks,
    ArchiveReader: { entry: 'tests/infra/fixtures/record-outcome.ts', grants: ['bucket:read'] },
    ArchiveWriter: { entry: 'tests/infra/fixtures/record-task.ts', grants: ['bucket:write'] },
  },
};

/** The role policies of the workload stack, by the id of the role's function (or construct). */
function policies(template: Template): { owner: string; statements: Statement[] }[] {
  return Object.entries(template.findResources('AWS::IAM::Policy')).map(([id, p]) => ({
    owner: id.replace(/(Role|CustomResourcePolicy).*$/, ''),
    statements: p.Properties.PolicyDocument.Statement,
  }));
}

const actionsOf = (s: Statement) => [s.Action].flat();
const mentions = (value: unknown, text: string) => JSON.stringify(value).includes(text);

/** A CloudFormation string (a literal or an Fn::Join) with each reference written `<Id.Attr>` / `<Ref>`. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (v['Fn::Join']) return v['Fn::Join'][1].map(text).join(v['Fn::Join'][0]);
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  throw new Error(`Unexpected value ${JSON.stringify(value)}`);
}

describe('the AWS deployment’s security', () => {
  let app: Synthesized;
  let compliance: Synthesized;
  let keys: { table: string; archive: string };
  beforeAll(() => {
    app = synth(fixture, {
      bundle: false,
      before: ({ stateful, workload }) => {
        // cdk-nag's findings for CDK's own bucket grants (grantRead, grantPut), which only these
        // fixture functions hold: a function that declares bucket:read or bucket:write one day must
        // answer them for itself.
        const archive = stateful.resolve(stateful.exportValue(stateful.archive.bucketArn))['Fn::ImportValue'];
        for (const id of ['TestsInfraFixturesRecordOutcomeRole', 'TestsInfraFixturesRecordTaskRole']) {
          for (const evidence of ['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:Abort*', 'Action::kms:ReEncrypt*', 'Action::kms:GenerateDataKey*', `Resource::${archive}/*`]) {
            Validations.of(workload.node.findChild(id)).acknowledge({
              id: `AwsSolutions-IAM5[${evidence}]`,
              reason: 'Test fixture: CDK’s grantRead/grantPut behind the bucket:read and bucket:write grants, which no deployed function declares.',
            });
          }
        }
      },
    });
    compliance = synth(topology, { bundle: false, lockMode: 'compliance' });
    const keyId = (about: string) => Object.keys(app.stateful.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp(about) } }))[0]!;
    keys = { table: keyId('records table'), archive: keyId('archive') };
  }, 240_000);

  describe('sign-in', () => {
    it('has one app client, the web form’s: authorization code only, no admin scope, no placeholder callback', () => {
      expect(app.stateful.findResources('AWS::Cognito::UserPoolClient')).toEqual({});
      const clients = Object.entries(app.workload.findResources('AWS::Cognito::UserPoolClient'));
      expect(clients).toHaveLength(1);
      const [id, client] = clients[0]!;
      expect(id).toMatch(/^WebSignInClient/);
      expect(client.Properties.AllowedOAuthFlows).toEqual(['code']);
      expect(client.Properties.AllowedOAuthScopes.sort()).toEqual(['email', 'openid', 'profile']);
      expect(client.Properties.GenerateSecret).toBe(false);
      const both = JSON.stringify([app.stateful.toJSON(), app.workload.toJSON()]);
      expect(both).not.toContain('implicit');
      expect(both).not.toContain('aws.cognito.signin.user.admin');
      expect(both).not.toContain('example.com');
      expect(text(client.Properties.CallbackURLs[0])).toBe('https://<WebDistributionCF3E234B.DomainName>/');
    });

    it('lets the client write no custom attribute, no email and no phone, and read none of the custom ones', () => {
      const client = Object.values(app.workload.findResources('AWS::Cognito::UserPoolClient'))[0]!;
      // An empty or missing WriteAttributes would let the client write every attribute.
      expect(client.Properties.WriteAttributes).toEqual(['locale']);
      expect(client.Properties.ReadAttributes.length).toBeGreaterThan(0);
      expect(client.Properties.ReadAttributes.filter((a: string) => a.startsWith('custom:'))).toEqual([]);
    });

    it('accepts tokens of that client alone at the API, and names it in the WebClientId output', () => {
      const [clientId] = Object.keys(app.workload.findResources('AWS::Cognito::UserPoolClient'));
      app.workload.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: Match.objectLike({ Audience: [{ Ref: clientId }] }) });
      app.workload.hasOutput('WebClientId', { Value: { Ref: clientId } });
    });

    it('requires TOTP of everyone, offers no SMS, and keeps the unused person_id attribute exactly as declared', () => {
      const pool = Object.values(app.stateful.findResources('AWS::Cognito::UserPool'))[0]!;
      expect(pool.Properties.MfaConfiguration).toBe('ON');
      expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
      expect(pool.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
      // Cognito cannot drop an attribute from a pool's schema: changing it would fail the deploy.
      expect(pool.Properties.Schema).toEqual([{ AttributeDataType: 'String', Mutable: true, Name: 'person_id', StringAttributeConstraints: { MaxLength: '40', MinLength: '1' } }]);
      expect(pool.DeletionPolicy).toBe('Retain');
    });
  });

  describe('data at rest', () => {
    it('encrypts the table and the archive with customer-managed keys of their own, rotated and retained', () => {
      const all = app.stateful.findResources('AWS::KMS::Key');
      expect(Object.keys(all)).toHaveLength(2);
      expect(keys.table).not.toBe(keys.archive);
      for (const key of Object.values(all)) {
        expect(key.Properties.EnableKeyRotation).toBe(true);
        expect(key.DeletionPolicy).toBe('Retain');
        expect(key.UpdateReplacePolicy).toBe('Retain');
      }
      app.stateful.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keys.table, 'Arn'] } } });
      const archive = Object.values(app.stateful.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }))[0]!;
      expect(archive.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keys.archive, 'Arn'] } } },
      ]);
    });

    it('gives every function that reads or writes the table the table key, through DynamoDB only', () => {
      const readers = policies(app.workload).filter((p) => p.statements.some((s) => actionsOf(s).includes('dynamodb:Query')));
      expect(readers.length).toBeGreaterThan(10);
      for (const { owner, statements } of readers) {
        const key = statements.filter((s) => mentions(s.Resource, keys.table));
        const granted = key.flatMap(actionsOf);
        expect(granted, owner).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:DescribeKey']));
        const writes = statements.some((s) => actionsOf(s).includes('dynamodb:PutItem'));
        // A consumer of the change stream also decrypts its records: CDK's stream grant, read-only
        // (Decrypt, DescribeKey) and with no condition, as Lambda's poller reads the stream for it.
        const streamKey = statements.some((s) => actionsOf(s).includes('dynamodb:GetRecords')) ? key.filter((s) => !s.Condition) : [];
        for (const s of streamKey) expect(actionsOf(s).sort(), owner).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
        const own = key.filter((s) => !streamKey.includes(s));
        const ownGranted = own.flatMap(actionsOf);
        if (writes) expect(ownGranted, owner).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']));
        else expect(ownGranted, owner).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
        for (const s of own) expect(text(s.Condition!.StringEquals!['kms:ViaService'])).toBe('dynamodb.<AWS::Region>.<AWS::URLSuffix>');
      }
      // The health check's DescribeTable reads no item: no key.
      const health = policies(app.workload).find((p) => p.owner.startsWith('HttpHealth'))!;
      expect(health.statements.filter((s) => mentions(s.Resource, keys.table))).toEqual([]);
    });

    it('gives every function that puts or gets archive objects the archive key: presigned uploads included', () => {
      const touching = policies(app.workload).filter((p) =>
        p.statements.some((s) => actionsOf(s).some((a) => /^s3:(PutObject|GetObject)\*?$/.test(a)) && (mentions(s.Resource, 'archive') || mentions(s.Resource, 'Archive'))),
      );
      expect(touching.map((p) => p.owner.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
        'HttpCheckArchiveItem',
        'HttpCheckTrail',
        'HttpCompleteUpload',
        'HttpDownloadAttachment',
        'HttpDownloadHandover',
        'HttpGetArchiveReport',
        'HttpRequestUpload',
        'HttpSearch',
        'HttpVerifyCase',
        'SchedulesTrailDigest',
        'StreamsArchiveWorker',
        'StreamsIndexSearch',
        'StreamsReadScanTexts',
        'TestsInfraFixturesRecordOutcome',
        'TestsInfraFixturesRecordTask',
      ]);
      for (const { owner, statements } of touching) {
        const actions = statements.flatMap(actionsOf);
        const key = statements.filter((s) => mentions(s.Resource, keys.archive)).flatMap(actionsOf);
        if (actions.some((a) => a.startsWith('s3:GetObject'))) expect(key, owner).toContain('kms:Decrypt');
        if (actions.includes('s3:PutObject')) expect(key.some((a) => a.startsWith('kms:GenerateDataKey')), owner).toBe(true);
      }
      // The presigned PUT is encrypted with the signer's permissions: the function that signs it.
      const upload = policies(app.workload).find((p) => p.owner.startsWith('HttpRequestUpload'))!;
      const uploadKey = upload.statements.filter((s) => mentions(s.Resource, keys.archive));
      expect(uploadKey.flatMap(actionsOf)).toEqual(['kms:GenerateDataKey']);
      expect(text(uploadKey[0]!.Condition!.StringEquals!['kms:ViaService'])).toBe('s3.<AWS::Region>.<AWS::URLSuffix>');
    });
  });

  it('retains every log group of the workload stack, the state machine’s under a name of this stack’s own', () => {
    const groups = Object.values(app.workload.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThan(30);
    for (const group of groups) {
      expect(group.DeletionPolicy).toBe('Retain');
      expect(group.UpdateReplacePolicy).toBe('Retain');
    }
    // Named groups would collide with their retained selves when the stack is created again.
    const named = groups.filter((g) => g.Properties.LogGroupName).map((g) => JSON.stringify(g.Properties.LogGroupName));
    expect(named).toHaveLength(1);
    expect(named[0]).toContain('/aws/vendedlogs/states/');
    expect(named[0]).toContain('AWS::StackId');
  });

  describe('cross-origin access', () => {
    it('lets only the web form’s origin use the archive: PUT and GET, its content type and checksum, the ETag', () => {
      expect(app.stateful.findResources('AWS::S3::Bucket', { Properties: { CorsConfiguration: Match.anyValue() } })).toEqual({});
      const resources = Object.values(app.workload.findResources('Custom::AWS'));
      expect(resources).toHaveLength(1);
      const rule = resources[0]!.Properties;
      const put = JSON.parse(text(rule.Create));
      expect(JSON.parse(text(rule.Update))).toEqual(put);
      expect(put).toEqual({
        service: 'S3',
        action: 'putBucketCors',
        parameters: {
          Bucket: 'bangong-test-archive-<AWS::AccountId>-<AWS::Region>',
          CORSConfiguration: {
            CORSRules: [
              {
                AllowedOrigins: ['https://<WebDistributionCF3E234B.DomainName>'],
                AllowedMethods: ['PUT', 'GET'],
                AllowedHeaders: ['content-type', 'x-amz-checksum-sha256'],
                ExposeHeaders: ['ETag'],
                MaxAgeSeconds: 3000,
              },
            ],
          },
        },
        physicalResourceId: { id: 'bangong-test-archive-<AWS::AccountId>-<AWS::Region>' },
      });
      expect(JSON.parse(text(rule.Delete))).toMatchObject({ action: 'deleteBucketCors', parameters: { Bucket: 'bangong-test-archive-<AWS::AccountId>-<AWS::Region>' } });
      // The custom resource may change that one bucket's CORS and nothing else.
      const cors = policies(app.workload).filter((p) => p.statements.some((s) => actionsOf(s).includes('s3:PutBucketCORS')));
      expect(cors).toHaveLength(1);
      expect(cors[0]!.statements.map((s) => [actionsOf(s), text(s.Resource)])).toEqual([[['s3:PutBucketCORS'], 'arn:<AWS::Partition>:s3:::bangong-test-archive-<AWS::AccountId>-<AWS::Region>']]);
    });

    it('names the web form’s origin, never *, wherever an origin is allowed', () => {
      const api = Object.values(app.workload.findResources('AWS::ApiGatewayV2::Api'))[0]!;
      expect(api.Properties.CorsConfiguration.AllowOrigins.map(text)).toEqual(['https://<WebDistributionCF3E234B.DomainName>']);
      expect(api.Properties.CorsConfiguration.AllowHeaders).toEqual(['authorization', 'content-type', 'idempotency-key']);
      // Every list of allowed origins in either template (the custom resource's calls parsed), whatever the resource.
      const origins: string[] = [];
      const walk = (value: unknown, key = ''): void => {
        // CloudFront writes its lists as { Items: [...] }.
        if (/Allow(ed)?Origins$/.test(key)) origins.push(...[(value as { Items?: unknown }).Items ?? value].flat().map(text));
        else if (Array.isArray(value)) value.forEach((v) => walk(v));
        else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
      };
      for (const template of [app.stateful, app.workload]) walk(template.toJSON());
      for (const call of Object.values(app.workload.findResources('Custom::AWS')).flatMap((r) => [r.Properties.Create, r.Properties.Update])) walk(JSON.parse(text(call)));
      expect(origins.length).toBeGreaterThanOrEqual(3);
      expect(new Set(origins)).toEqual(new Set(['https://<WebDistributionCF3E234B.DomainName>']));
    });
  });

  describe('Object Lock mode', () => {
    it('tells every function GOVERNANCE by default and COMPLIANCE with -c lockMode=compliance', () => {
      for (const [template, mode] of [[app.workload, 'GOVERNANCE'], [compliance.workload, 'COMPLIANCE']] as const) {
        const functions = officeFunctions(template);
        expect(functions.length).toBeGreaterThan(30);
        for (const fn of functions) expect(fn.Properties.Environment.Variables).toMatchObject({ OBJECT_LOCK: 'true', OBJECT_LOCK_MODE: mode });
      }
    });

    it('refuses any other lockMode at synth', () => {
      expect(objectLockMode(undefined)).toBe('GOVERNANCE');
      for (const wrong of ['GOVERNANCE', 'Compliance', 'legal-hold', '', 1]) {
        expect(() => objectLockMode(wrong)).toThrow(/lockMode must be "governance" \(the default\) or "compliance"/);
      }
      expect(() => synth(topology, { bundle: false, lockMode: 'worm' as never })).toThrow(/lockMode must be/);
    });
  });
});
