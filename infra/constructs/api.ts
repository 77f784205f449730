/** The HTTP API: one route per topology route, each to its function, with access logs and throttling. */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteSpec } from '../topology.ts';
import type { OfficeFunction } from './office-function.ts';

export class Api extends Construct {
  readonly httpApi: HttpApi;

  constructor(
    scope: Construct,
    id: string,
    props: {
      routes: readonly RouteSpec[];
      functionFor: (route: RouteSpec) => OfficeFunction;
      userPool: IUserPool;
      /** The web form's hosted-UI client, the pool's only one: the authorizer accepts its tokens alone. */
      signInClient: IUserPoolClient;
      /** Origins of pages that call the API from a browser (the web form's CloudFront address). */
      corsOrigins?: readonly string[];
    },
  ) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'Http', {
      description: 'Bangong API',
      corsPreflight: props.corsOrigins?.length
        ? {
            allowOrigins: [...props.corsOrigins],
            allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.OPTIONS],
            allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
            // Exports name their file.
            exposeHeaders: ['content-disposition'],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });
    // API Gateway checks the signature, expiry, issuer and audience (`aud`, or an access token's
    // `client_id`); the handlers also require `token_use` = `id` and read `cognito:username`.
    const staff = new HttpUserPoolAuthorizer('Staff', props.userPool, { userPoolClients: [props.signInClient] });

    // Retained with the function logs: who called what outlives a replaced stack.
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const stage = this.httpApi.defaultStage!.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        time: '$context.requestTime',
        route: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        error: '$context.integrationErrorMessage',
      }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };

    for (const route of props.routes) {
      // Local-only routes (the dev login, the outbox) are never deployed.
      if (route.auth === 'local-only') continue;
      const fn = props.functionFor(route);
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        // `ANY /api/{proxy+}` (the catch-all, public) is matched only when no named route is.
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.method}${route.path}`.replace(/\W/g, ''), fn),
        authorizer: route.auth === 'user' ? staff : undefined,
      });
      if (route.auth === 'public') {
        Validations.of(created!).acknowledge({ id: 'AwsSolutions-APIG4', reason: `${route.method} ${route.path} is declared public in infra/topology.ts (it reveals no records).` });
      }
    }
  }
}
