import { SoleLeader } from './leader-election';

describe('SoleLeader', () => {
  it('leads from start() until close(), telling its listeners once each', async () => {
    const election = new SoleLeader();
    const changes: boolean[] = [];
    election.onChange((leader) => changes.push(leader));
    expect(election.isLeader()).toBe(false);
    expect(await election.confirm()).toBe(false);
    await election.start();
    await election.start();
    expect(election.isLeader()).toBe(true);
    expect(await election.confirm()).toBe(true);
    await election.close();
    await election.close();
    expect(election.isLeader()).toBe(false);
    expect(changes).toEqual([true, false]);
  });
});
