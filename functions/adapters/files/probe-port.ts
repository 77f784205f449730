/** The 四性检测's file probe as a port getter: what the bytes of a file open as (PDF parsed, image decoded, OFD package read). */
import { probeFile } from './probe-file.ts';

export const probe = () => probeFile;
