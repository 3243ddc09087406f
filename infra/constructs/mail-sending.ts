import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  ConfigurationSet,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { mailFeedback } from '#functions/workers';
import { DeadLetters } from './dead-letters';
import { SalesflowFunction } from './salesflow-function';

export interface MailSendingProps {
  stageName: string;
  /** The sender: its whole domain is the SES identity. */
  mailFrom: string;
}

/**
 * SES for the stack: the sender's whole domain as the identity (DKIM-signed, bounces to its own
 * MAIL FROM), a configuration set reporting bounces and complaints (R2), and who may send.
 * Its resources sit on the stack itself, as they did before it was split out: their logical IDs,
 * and so the deployed identity, stay the same.
 */
export class MailSending {
  readonly domain: string;
  readonly configuration: ConfigurationSet;
  readonly identity: EmailIdentity;
  private readonly feedbackTopic: Topic;

  constructor(
    private readonly stack: Stack,
    private readonly props: MailSendingProps,
  ) {
    this.domain = props.mailFrom.split('@')[1]!;
    // R2: SES reports bounces and complaints to a topic; a function takes those addresses off bulk mail.
    this.feedbackTopic = new Topic(stack, 'MailFeedbackTopic', {
      enforceSSL: true,
      displayName: `salesflow ${props.stageName} SES bounces and complaints`,
    });
    this.configuration = new ConfigurationSet(stack, 'MailConfiguration', { reputationMetrics: true });
    this.configuration.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.feedbackTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.identity = new EmailIdentity(stack, 'MailDomain', {
      identity: Identity.domain(this.domain),
      configurationSet: this.configuration,
      dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
      mailFromDomain: `bounce.${this.domain}`,
    });
    // Its DNS records are published by hand (DEPLOY.md): a new identity would need them again.
    this.identity.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }

  /**
   * Emails go out from the configured address only, by the functions that send them. With a
   * configuration set on the identity, SES authorizes the send against the set too.
   */
  grantSend(fn: IFunction) {
    const { partition, region, account } = this.stack;
    fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendRawEmail'],
        resources: [
          `arn:${partition}:ses:${region}:${account}:identity/${this.identity.emailIdentityName}`,
          `arn:${partition}:ses:${region}:${account}:configuration-set/${this.configuration.configurationSetName}`,
        ],
        conditions: { StringEquals: { 'ses:FromAddress': this.props.mailFrom } },
      }),
    );
  }

  /** R2: the function that takes bounced and complaining addresses off bulk mail. */
  receiveFeedback(props: { environment: Record<string, string>; alarmTopic: ITopic; table: ITableV2 }) {
    const feedback = new SalesflowFunction(this.stack, 'MailFeedback', {
      entry: mailFeedback.entry,
      description: mailFeedback.description,
      memorySize: mailFeedback.memoryMb,
      environment: props.environment,
      alarmTopic: props.alarmTopic,
    });
    // A notice that cannot be recorded waits on a queue: an address left on bulk mail hurts the sender's reputation.
    const deadLetters = new DeadLetters(this.stack, 'MailFeedbackDeadLetters', {
      description: mailFeedback.description,
      alarmTopic: props.alarmTopic,
    });
    feedback.function.addEventSource(new SnsEventSource(this.feedbackTopic, { deadLetterQueue: deadLetters.queue }));
    // It only records suppressions.
    props.table.grant(feedback.function, 'dynamodb:PutItem');
  }
}
