/**
 * The web form in AWS: the files built from web/ (esbuild, at synth time) in a private bucket
 * served by CloudFront through Origin Access Control, staff signing in through the Cognito
 * hosted UI, and a config.json generated at deploy time with the API's URL and the sign-in
 * settings. Page addresses (/cases/…, /dashboard) are answered with index.html by a CloudFront
 * function built from the same pattern the local gateway uses (web/src/pages.ts). CloudFront
 * compresses; each S3 object carries its Cache-Control (publish()), as the local gateway sends it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { OAuthScope, UserPoolClient, UserPoolClientIdentityProvider, UserPoolDomain, type IUserPool } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ASSETS_PATH, buildWebSite } from '../../web/build.ts';
import { webContentSecurityPolicy } from '../../web/security-headers.ts';
import { PAGE_PATH } from '../../web/src/pages.ts';
import { archiveBucketName } from '../stateful-stack.ts';
import { CLIENT_READ_ATTRIBUTES, CLIENT_WRITE_ATTRIBUTES } from './auth.ts';

export interface WebProps {
  readonly userPool: IUserPool;
  readonly stage: string;
  /** The hosted UI's domain prefix (unique per region); by default from the stage and account. */
  readonly signInDomainPrefix?: string;
  /** The bucket presigned uploads and downloads go to; by default the stage's archive bucket. */
  readonly archiveBucketName?: string;
}

export class Web extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** The address staff open, e.g. https://d111111abcdef8.cloudfront.net */
  readonly url: string;
  /** The pool's only app client: the hosted UI signs staff in with it, and the API accepts its ID tokens alone. */
  readonly signInClient: UserPoolClient;
  readonly signInDomain: UserPoolDomain;
  /** The origins, other than the API, the page may fetch from: the archive bucket and the hosted UI. */
  private readonly fetchOrigins: string;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);

    const logs = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with an ACL.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This bucket receives the web form’s access logs; logging it again would log the logs.' });

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      // Only built files live here; the deployment below removes them when the stack goes.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const pages = new CloudFrontFunction(this, 'Pages', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Page addresses of the web form are its index.html',
      code: FunctionCode.fromInline(`function handler(event) {
  var request = event.request;
  if (${PAGE_PATH.toString()}.test(request.uri)) request.uri = '/index.html';
  return request;
}`),
    });

    // Sign-in through the hosted UI: authorization code with PKCE, a public client (no secret in a page),
    // no implicit grant and no aws.cognito.signin.user.admin scope (a token that could call Cognito's
    // own user API).
    this.signInDomain = new UserPoolDomain(this, 'SignInDomain', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `bangong-${props.stage.toLowerCase()}-${Aws.ACCOUNT_ID}` },
    });
    // Presigned URLs are virtual-hosted (S3_FORCE_PATH_STYLE is for the local emulator only); the
    // page calls the hosted UI's token endpoint, never Cognito's own API.
    const archive = `https://${props.archiveBucketName ?? archiveBucketName(props.stage)}.s3.${Aws.REGION}.amazonaws.com`;
    this.fetchOrigins = `${archive} ${this.signInDomain.baseUrl()}`;

    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Bangong web form security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The API, presigned S3 URLs and the hosted UI's token endpoint are the only other origins the page talks to.
          // The API is named by its region only here: its CORS names this distribution, so naming
          // the API in this header would make each wait for the other. index.html carries a second
          // policy with the API's own origin (publish()); a browser enforces both.
          contentSecurityPolicy: webContentSecurityPolicy([`https://*.execute-api.${Aws.REGION}.amazonaws.com`, this.fetchOrigins]),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Bangong web form (${props.stage})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // Brotli or gzip as the browser accepts (the cache policy keys on both); S3 stores the files plain.
        compress: true,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: pages, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Staff sign in from wherever they travel; access is controlled by Cognito sign-in, not by country.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: 'The distribution serves static files only; the API behind its own URL is throttled by API Gateway and needs a Cognito token. A WAF web ACL is a per-deployment cost decision.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: 'The default *.cloudfront.net certificate is used until an office attaches its own domain; CloudFront then enforces TLSv1.2_2021.',
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    this.signInClient = new UserPoolClient(this, 'SignInClient', {
      userPool: props.userPool,
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${this.url}/`],
        logoutUrls: [`${this.url}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      readAttributes: CLIENT_READ_ATTRIBUTES,
      writeAttributes: CLIENT_WRITE_ATTRIBUTES,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(8),
      accessTokenValidity: Duration.hours(8),
      refreshTokenValidity: Duration.days(1),
    });
  }

  /**
   * Builds web/ and deploys it with a config.json naming the API and the sign-in settings: first
   * the hashed scripts and styles under assets/, cached for a year and never pruned (a page
   * opened before a deploy still loads its chunks), then the files that name them (index.html,
   * config.json) revalidated on every visit, which replace the previous ones.
   */
  publish(apiUrl: string): BucketDeployment {
    const site = buildWebSite(mkdtempSync(join(tmpdir(), 'bangong-web-')));
    const config = {
      apiUrl,
      auth: { mode: 'cognito', domain: this.signInDomain.baseUrl(), clientId: this.signInClient.userPoolClientId, scopes: ['openid', 'email', 'profile'] },
    };
    // The page may fetch from this API alone (with the header's policy, which names its region only).
    const policy = `<meta http-equiv="Content-Security-Policy" content="connect-src 'self' ${apiUrl} ${this.fetchOrigins}">`;
    const index = readFileSync(join(site, 'index.html'), 'utf8').replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  ${policy}`);
    const assets = ASSETS_PATH.replace(/^\/|\/$/g, '');
    const hashed = new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(join(site, assets))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${assets}/`,
      // A file's name changes with its content, so a copy anywhere is good for ever.
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      prune: false,
      retainOnDelete: false,
      memoryLimit: 256,
    });
    const deployment = new BucketDeployment(this, 'Deploy', {
      // Later sources win: this index.html replaces the built one.
      sources: [Source.asset(site, { exclude: [assets] }), Source.jsonData('config.json', config), Source.data('index.html', index)],
      destinationBucket: this.bucket,
      // Pruning leaves assets/ alone: the deployment above owns it.
      exclude: [`${assets}/*`],
      // index.html and config.json keep their names: browsers revalidate, and a deploy invalidates CloudFront.
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      retainOnDelete: false,
      memoryLimit: 256,
    });
    // index.html names the new hashed files only once they are there.
    deployment.node.addDependency(hashed);
    // The deployment's own function and role are CDK's (a custom resource provider).
    const provider = Stack.of(this)
      .node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    const stack = Stack.of(this);
    const siteId = stack.resolve(stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)) as string;
    const copying = 'CDK’s BucketDeployment reads the synthesized web form from the CDK assets bucket, replaces the files of its own site bucket and invalidates its own distribution';
    for (const scope of provider) {
      Validations.of(scope).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK’s BucketDeployment provider writes its logs with AWSLambdaBasicExecutionRole.',
      });
      for (const evidence of ['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*']) {
        Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${evidence}]`, reason: `${copying}: the actions CDK grants for that.` });
      }
      Validations.of(scope).acknowledge({ id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]', reason: `${copying}: the assets bucket is read.` });
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${siteId}.Arn>/*]`, reason: `${copying}: every file of the site bucket.` });
      Validations.of(scope).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: `${copying}: CloudFront invalidation actions take no resource.` });
      Validations.of(scope).acknowledge({ id: 'AwsSolutions-L1', reason: 'The runtime of CDK’s BucketDeployment provider is pinned by aws-cdk-lib and moves with it.' });
    }
    return deployment;
  }
}
