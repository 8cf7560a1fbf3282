import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import { uuid } from './messages';

/**
 * The cluster as a node's gossip describes it: every node alive, the leader as LEADER, the
 * others as FOLLOWER; during an election no node is in a state a client may connect to.
 */
export const clusterInfo = (ports: readonly number[], leader: number | null): ClusterInfo =>
  new ClusterInfo().setMembersList(
    ports.map((port, i) =>
      new MemberInfo()
        .setInstanceId(uuid(`00000000-0000-4000-8000-00000000000${i}`))
        .setTimeStamp(String(Date.now()))
        .setIsAlive(true)
        .setState(
          leader === null
            ? MemberInfo.VNodeState.PRELEADER
            : i === leader
              ? MemberInfo.VNodeState.LEADER
              : MemberInfo.VNodeState.FOLLOWER,
        )
        .setHttpEndPoint(new EndPoint().setAddress('127.0.0.1').setPort(port)),
    ),
  );
