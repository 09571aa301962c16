/**
 * The AWS SDK's switch for its Node-version notice, as the CLI sets it (lib/cli/aws-clients.ts,
 * SDK_NODE_WARNING_SWITCH): tests build SDK clients directly, and on Node 20 each file would print it.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
