/** `npm run executions [-- --all]`: the local workflow executions and the state each is in. */
import { main } from '../infra/local/aws/stepfunctions/executions';

void main(process.argv.slice(2)).then((code) => process.exit(code));
