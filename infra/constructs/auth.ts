/**
 * Sign-in for staff: a Cognito user pool (no self sign-up: the office adds its people, TOTP
 * required for everyone). The API knows a person by the ID token's `cognito:username`: the
 * username an admin gives at AdminCreateUser is the person's id in the org chart, and Cognito never
 * lets it change. The app client the web form signs in with is constructs/web.ts's.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountRecovery, ClientAttributes, Mfa, StringAttribute, UserPool } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/**
 * What every app client may write: `locale` alone. An empty list would not mean "nothing": Cognito
 * treats a client without WriteAttributes as allowed to write every attribute (custom ones too), so
 * one harmless standard attribute is named instead. Email and phone stay admin-only (they receive
 * account recovery and codes).
 */
export const CLIENT_WRITE_ATTRIBUTES = new ClientAttributes().withStandardAttributes({ locale: true });

/** What the ID token carries besides the username and groups: enough to greet and reach the person. */
export const CLIENT_READ_ATTRIBUTES = new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true, locale: true });

export class StaffAuth extends Construct {
  readonly userPool: UserPool;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Staff', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      // Unused: nothing reads `custom:person_id` any more (the username is the person's id). It stays
      // declared only because Cognito cannot remove an attribute from an existing pool's schema;
      // no app client may read or write it (CLIENT_*_ATTRIBUTES).
      customAttributes: { person_id: new StringAttribute({ minLen: 1, maxLen: 40, mutable: true }) },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      // Everyone, admins included, signs in with a password and an authenticator app; the hosted UI
      // asks a person without one to set it up at their next sign-in.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG3',
      reason: 'Threat protection needs the Cognito Plus plan; the user pool has no self sign-up, strong passwords and required TOTP.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'The Essentials plan covers a general office’s staff sign-in; Plus is a per-deployment cost decision.',
    });
  }
}
