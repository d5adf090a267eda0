// Every test runs as if on a fresh machine with no AWS account: a fixed region, dummy credentials, and no
// profile or endpoint from the developer's environment.
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
delete process.env.AWS_PROFILE;
delete process.env.AWS_ENDPOINT_URL;
process.env.AWS_EC2_METADATA_DISABLED = 'true';
// The SDK warns once that Node 20 support ends in 2027; the machines here run Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// The handlers' Powertools loggers stay quiet (no "evidence gap" ERROR lines in the test output); no test
// reads them. The EMF metric lines are console.log, not the logger, and are unaffected.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
