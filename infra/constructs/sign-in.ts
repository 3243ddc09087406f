import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { roles } from '#domain/roles';
import type { MailSending } from './mail-sending';

export interface SignInProps {
  stageName: string;
  mailFrom: string;
  mail: MailSending;
  /** The sender's domain has passed SES verification: Cognito may send through it. */
  mailDomainVerified?: boolean;
  /** The hosted sign-in's domain prefix, unique in the region (default salesflow-<stage>-<account>). */
  signInDomainPrefix?: string;
  /** Where the web forms are: the hosted pages hand their sign-in page a code (PKCE). */
  webFormsUrl: string;
}

/**
 * R28: who people are. One Cognito pool with a group per role; the API's authorizer trusts only
 * this pool and the web forms' client. On the stack itself, as before it was split out: the
 * pool's logical ID, and so its people, stay.
 */
export class SignIn {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly webClient: UserPoolClient;
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(stack: Stack, props: SignInProps) {
    this.userPool = new UserPool(stack, 'People', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      // What PLUS is paid for: risky sign-ins blocked, compromised passwords refused.
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // Invitations and resets go through SES: Cognito's own sender stops at 50 a day. Cognito
      // refuses an identity not yet verified, so the first deploy uses its own (DEPLOY.md).
      email: props.mailDomainVerified
        ? UserPoolEmail.withSES({
            fromEmail: props.mailFrom,
            fromName: 'Sales',
            sesVerifiedDomain: props.mail.domain,
            sesRegion: stack.region,
            configurationSetName: props.mail.configuration.configurationSetName,
          })
        : UserPoolEmail.withCognito(props.mailFrom),
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // A changed address takes effect only once its owner confirms it (the API enrols people by it).
      keepOriginal: { email: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool.node.addDependency(props.mail.identity);
    for (const role of roles) {
      // Kept with the pool: a deleted group takes its memberships with it.
      new CfnUserPoolGroup(stack, `Group${role}`, { userPoolId: this.userPool.userPoolId, groupName: role }).applyRemovalPolicy(
        RemovalPolicy.RETAIN,
      );
    }
    this.domain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `salesflow-${props.stageName}-${stack.account}` },
    });
    this.webClient = this.userPool.addClient('WebForms', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.webFormsUrl}/sign-in.html`],
        logoutUrls: [`${props.webFormsUrl}/sign-in.html`],
      },
      idTokenValidity: Duration.hours(8),
      // A person's address is set by an administrator: with an SRP sign-in's token they could
      // otherwise change their own, and be enrolled as someone else.
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    this.authorizer = new HttpUserPoolAuthorizer('People', this.userPool, { userPoolClients: [this.webClient] });
  }
}
