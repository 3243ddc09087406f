import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { contentSecurityPolicy, isTemplated, renderPage, type SignIn, siteConfigScript, siteFiles, webRoot } from '../web-site';

/**
 * S3 behind OAC answers a folder's address (/app/) with AccessDenied: CloudFront asks for its
 * index.html instead, and sends /app to /app/ so the page's relative links still resolve.
 */
export const directoryIndexCode = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
    return request;
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: uri + '/' } } };
  }
  return request;
}`;

export interface WebFormsProps {
  /** Keep the files' bucket when the stack goes (default: remove it; the files are in git). */
  retain?: boolean;
}

/**
 * The web forms (web/) as static files: a private bucket behind CloudFront (origin access
 * control, HTTPS only, security headers). `publish` uploads them with the API's address and the
 * sign-in settings written in at deploy time, as the local stack writes its own.
 */
export class WebForms extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<id>.cloudfront.net */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebFormsProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // A bad deploy's files can be put back from the previous versions.
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    // CloudFront's standard logs: which pages were fetched, kept 90 days. CloudFront writes them with ACLs.
    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    const directoryIndex = new CloudFrontFunction(this, 'DirectoryIndex', {
      comment: 'salesflow: a folder address serves its index.html',
      code: FunctionCode.fromInline(directoryIndexCode),
      runtime: FunctionRuntime.JS_2_0,
    });
    const region = Stack.of(this).region;
    // The API and Cognito's origins by pattern: naming the API itself would make it depend on this.
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(`https://*.execute-api.${region}.amazonaws.com`, `https://*.amazoncognito.com`),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'salesflow web forms',
      defaultRootObject: 'index.html',
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: accessLogs,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id, reason });
    acknowledge('AwsSolutions-CFR1', 'Customers and distributors are worldwide: no country is refused the lead form.');
    acknowledge('AwsSolutions-CFR2', 'Static files only; what they post to is the API, throttled per route by API Gateway.');
    acknowledge(
      'AwsSolutions-CFR4',
      "The default *.cloudfront.net certificate (its TLS policy is CloudFront's) until a custom domain and certificate are configured.",
    );
    const guard = (rule: string, reason: string) => acknowledge(`cdk-validator-cfnguard::${rule}`, reason);
    const untilCustomDomain =
      'The default *.cloudfront.net certificate until a custom domain and its ACM certificate are configured (DEPLOY.md); then TLSv1.2_2021 with SNI.';
    guard('cloudfront_custom_ssl_certificate_check', untilCustomDomain);
    guard('cloudfront_sni_enabled_check', untilCustomDomain);
    guard('cloudfront_security_policy_check', untilCustomDomain);
    guard('cloudfront_origin_failover_enabled_check', 'One bucket of static files redeployable from git: a second origin buys nothing.');
    guard('s3_bucket_logging_enabled_check', "CloudFront's access logs record every read; S3 server logs would repeat them.");
    guard(
      's3_bucket_default_encryption_kms_check',
      'S3-managed encryption: the files are public web pages and their logs; a KMS key would also stop CloudFront reading them without a key policy.',
    );
    guard(
      's3_bucket_object_lock_enabled_check',
      'The files are replaced by every deploy and the logs expire: locking them is against their purpose.',
    );
    guard('s3_event_notifications_enabled_check', 'Nothing reacts to these objects.');
    guard('s3_bucket_versioning_enabled_check', 'Only the logs bucket: logs are written once and expire after 90 days.');
    acknowledge(
      'AwsSolutions-S1',
      'The files are the contents of web/ in git, and the logs bucket holds only CloudFront logs; CloudFront alone writes it.',
    );
  }

  /** Uploads web/, its pages and /config.js carrying the deploy-time API URL and sign-in settings. */
  publish(config: { apiUrl: string; signIn: SignIn }) {
    const templated = siteFiles().filter(isTemplated);
    const deployment = new BucketDeployment(this, 'Publish', {
      destinationBucket: this.bucket,
      sources: [
        Source.asset(webRoot, { exclude: ['tsconfig.json', ...templated] }),
        ...templated.map((file) => Source.data(file, renderPage(file, config.apiUrl))),
        Source.data('config.js', siteConfigScript(config)),
      ],
      // Small files, changed only by a deploy: browsers check back every time.
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    // CDK's deployment function: reads its own asset bucket, replaces this bucket's files.
    const stack = Stack.of(this);
    const pseudo = (value: string, name: string) => (Token.isUnresolved(value) ? `<AWS::${name}>` : value);
    const assets = `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${pseudo(stack.account, 'AccountId')}-${pseudo(stack.region, 'Region')}`;
    const findings = [
      ...['Abort*', 'DeleteObject*', 'GetBucket*', 'GetObject*', 'List*'].map((action) => `Action::s3:${action}`),
      `Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
      `Resource::arn:${pseudo(stack.partition, 'Partition')}:s3:::${assets}/*`,
    ];
    for (const finding of findings) {
      Validations.of(deployment.handlerRole).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason: "CDK's BucketDeployment: reads its own asset bucket, writes and deletes only the web forms' files.",
      });
    }
  }
}
