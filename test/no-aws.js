// Tests never reach a real AWS endpoint: an SDK client that escapes its mock (aws-sdk-client-mock)
// would call this closed loopback port and fail at once, and no credential lookup asks the EC2 metadata service.
process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
