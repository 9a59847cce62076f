package edge

import (
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"time"
)

// Region is the AWS Region the edge's functions believe they run in: Lambda@Edge functions
// are created in US East (N. Virginia).
const Region = "us-east-1"

// lambdaEnvironment is the whole environment of an execution environment's process, built as
// Lambda builds it: nothing is inherited from the edge's own environment. In order (a later
// entry wins, as exec.Cmd keeps the last value of a repeated key):
//
//  1. the runtime's unreserved defaults (LANG, PATH, LD_LIBRARY_PATH) and GOMAXPROCS=1 (a
//     128 MB environment's share of one vCPU), which a function's env may override;
//  2. the function's own env (the distribution file) and the edge's connector settings;
//  3. Lambda's reserved variables, which no function setting can override.
//
// The variables follow AWS's "Defined runtime environment variables"
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
// There are no AWS credentials: the edge gives its functions no execution role.
func lambdaEnvironment(fn *Function, runtimeAPI string, env int) []string {
	taskRoot := filepath.Dir(fn.Command[0])
	out := []string{
		"LANG=en_US.UTF-8",
		"PATH=/usr/local/bin:/usr/bin/:/bin:/opt/bin",
		"LD_LIBRARY_PATH=/lib64:/usr/lib64:" + taskRoot + ":" + taskRoot + "/lib:/opt/lib",
		"GOMAXPROCS=1",
	}
	out = append(out, fn.Env...)
	if fn.ConfigEnv != nil {
		out = append(out, fn.ConfigEnv(env)...)
	}
	return append(out,
		"AWS_LAMBDA_RUNTIME_API="+runtimeAPI,
		"AWS_LAMBDA_FUNCTION_NAME="+Region+"."+fn.Name,
		"AWS_LAMBDA_FUNCTION_VERSION=1",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/"+Region+"."+fn.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME="+logStreamName(time.Now()),
		"AWS_REGION="+Region,
		"AWS_DEFAULT_REGION="+Region,
		// Lambda@Edge runs Node.js and Python functions; the edge presents every function,
		// whatever its program, as the Node.js runtime the official connector targets.
		"AWS_EXECUTION_ENV=AWS_Lambda_nodejs22.x",
		"LAMBDA_TASK_ROOT="+taskRoot,
		"LAMBDA_RUNTIME_DIR="+taskRoot,
		"TZ=:UTC",
	)
}

// logStreamName is a CloudWatch log stream name as Lambda makes them: date/[version]id.
func logStreamName(t time.Time) string {
	var b [16]byte
	rand.Read(b[:])
	return t.UTC().Format("2006/01/02") + "/[1]" + hex.EncodeToString(b[:])
}
