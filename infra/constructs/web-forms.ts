import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { contentSecurityPolicy, isTemplated, renderPage, siteConfigScript, siteFiles, webRoot, type SignIn } from '../web-site';

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
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
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
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: headers,
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id, reason });
    acknowledge('AwsSolutions-CFR1', 'Customers and distributors are worldwide: no country is refused the lead form.');
    acknowledge('AwsSolutions-CFR2', 'Static files only; what they post to is the API, throttled per route by API Gateway.');
    acknowledge('AwsSolutions-CFR3', 'Static files only; who does what is logged by the API, without personal data.');
    acknowledge('AwsSolutions-CFR4', "The default *.cloudfront.net certificate (its TLS policy is CloudFront's) until a custom domain and certificate are configured.");
    acknowledge('AwsSolutions-S1', 'The files are the contents of web/ in git; CloudFront alone reads them.');
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
