/**
 * Sign-in for staff: a Cognito user pool (no self sign-up: the office adds its people) whose ID
 * tokens carry `custom:person_id`, the person's id in the org chart. API Gateway's JWT authorizer
 * verifies them; handlers read the same claims the local dev login puts in its tokens.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountRecovery, Mfa, StringAttribute, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export class StaffAuth extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Staff', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      customAttributes: { person_id: new StringAttribute({ minLen: 1, maxLen: 40, mutable: true }) },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: 'TOTP MFA is offered to every user; offices that require it switch the pool to REQUIRED per deployment.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG3',
      reason: 'Threat protection needs the Cognito Plus plan; the user pool has no self sign-up and strong passwords.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'The Essentials plan covers a general office’s staff sign-in; Plus is a per-deployment cost decision.',
    });
    this.webClient = this.userPool.addClient('Web', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(8),
      readAttributes: undefined,
    });
  }
}
